package org.abscan.server.services;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.abscan.proto.scan.v1.CancelScanRequest;
import org.abscan.proto.scan.v1.CancelScanResponse;
import org.abscan.proto.scan.v1.GenerateTriggerRequest;
import org.abscan.proto.scan.v1.GenerateTriggerResponse;
import org.abscan.proto.scan.v1.GetScanRequest;
import org.abscan.proto.scan.v1.GetScanResponse;
import org.abscan.proto.scan.v1.ListScansRequest;
import org.abscan.proto.scan.v1.ListScansResponse;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.ScanResponse;
import org.abscan.proto.scan.v1.ScanServiceGrpc;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.proto.scan.v1.WatchScanRequest;
import org.abscan.proto.scan.v1.WatchScanResponse;
import org.abscan.server.auth.Tenants;
import org.abscan.server.errors.StatusMapper;
import org.abscan.server.jobs.JobScheduler;
import org.abscan.server.jobs.ScanJob;
import org.abscan.server.jobs.ScanWatcher;

/**
 * abscan.scan.v1.ScanService. Scans are jobs (queued, recorded, watchable); StreamNSF and GenerateTrigger run
 * directly on the interactive pool for as long as their call lives. Where models are parsed and the engine runs
 * (this JVM or worker processes) is the {@link ScanBackend}'s business. Failures are thrown or recorded and turned
 * into statuses by {@link StatusMapper} only.
 */
public final class ScanServiceImpl extends ScanServiceGrpc.ScanServiceImplBase {
  private final ScanBackend backend;
  private final JobScheduler scheduler;

  @Inject
  ScanServiceImpl(ScanBackend backend, JobScheduler scheduler) {
    this.backend = backend;
    this.scheduler = scheduler;
  }

  @Override
  public void scan(ScanRequest request, StreamObserver<ScanResponse> responses) {
    ServerCallStreamObserver<ScanResponse> call = (ServerCallStreamObserver<ScanResponse>) responses;
    String tenant = Tenants.current();
    AtomicReference<ScanJob> accepted = new AtomicReference<>();
    boolean detach = request.getDetach();
    // The client going away cancels its scan (unless it detached); the engine notices at its next poll.
    call.setOnCancelHandler(() -> {
      ScanJob job = accepted.get();
      if (job != null && !detach) {
        scheduler.cancel(tenant, job.id());
      }
    });
    try {
      ScanBackend.PreparedScan prepared = backend.prepareScan(request);
      ScanJob job = scheduler.submit(tenant, prepared.modelSha256(), prepared.work(), request.toByteArray());
      accepted.set(job);
      if (detach) {
        job.firstEvents(2).forEach(event -> call.onNext(ScanResponse.newBuilder().setEvent(event).build()));
        call.onCompleted();
        return;
      }
      if (call.isCancelled()) {
        scheduler.cancel(tenant, job.id());
      }
      job.watch(0, new ScanWatcher() {
        @Override
        public void onEvent(ScanEvent event) {
          call.onNext(ScanResponse.newBuilder().setEvent(event).build());
        }

        @Override
        public void onEnd(ScanJob ended) {
          if (ended.state() == ScanState.SCAN_STATE_SUCCEEDED) {
            call.onCompleted();
          } else {
            call.onError(StatusMapper.toStatusException(
                ended.failureCause().orElseGet(() -> new CancellationException("scan stopped"))));
          }
        }
      });
    } catch (RuntimeException e) {
      call.onError(StatusMapper.toStatusException(e));
    }
  }

  @Override
  public void streamNSF(StreamNSFRequest request, StreamObserver<StreamNSFResponse> responses) {
    ServerCallStreamObserver<StreamNSFResponse> call = (ServerCallStreamObserver<StreamNSFResponse>) responses;
    call.setOnCancelHandler(() -> { }); // the engine polls call.isCancelled()
    try {
      backend.streamNsf(request, call);
    } catch (RuntimeException e) {
      call.onError(StatusMapper.toStatusException(e));
    }
  }

  @Override
  public void generateTrigger(
      GenerateTriggerRequest request, StreamObserver<GenerateTriggerResponse> responses) {
    ServerCallStreamObserver<GenerateTriggerResponse> call =
        (ServerCallStreamObserver<GenerateTriggerResponse>) responses;
    call.setOnCancelHandler(() -> { });
    try {
      backend.generateTrigger(request, call);
    } catch (RuntimeException e) {
      call.onError(StatusMapper.toStatusException(e));
    }
  }

  @Override
  public void getScan(GetScanRequest request, StreamObserver<GetScanResponse> responses) {
    try {
      ScanJob job = scheduler.get(Tenants.current(), request.getScanId());
      GetScanResponse.Builder response = GetScanResponse.newBuilder()
          .setScan(job.summary(scheduler.queuePosition(job)));
      job.report().ifPresent(response::setReport);
      responses.onNext(response.build());
      responses.onCompleted();
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toStatusException(e));
    }
  }

  @Override
  public void watchScan(WatchScanRequest request, StreamObserver<WatchScanResponse> responses) {
    ServerCallStreamObserver<WatchScanResponse> call = (ServerCallStreamObserver<WatchScanResponse>) responses;
    try {
      ScanJob job = scheduler.get(Tenants.current(), request.getScanId());
      AtomicReference<Runnable> detach = new AtomicReference<>(() -> { });
      // Watching is passive: a watcher leaving detaches it and leaves the scan running.
      call.setOnCancelHandler(() -> detach.get().run());
      detach.set(job.watch(Math.max(0, request.getAfterSequence()), new ScanWatcher() {
        @Override
        public void onEvent(ScanEvent event) {
          call.onNext(WatchScanResponse.newBuilder().setEvent(event).build());
        }

        @Override
        public void onEnd(ScanJob ended) {
          call.onCompleted();
        }
      }));
      if (call.isCancelled()) {
        detach.get().run();
      }
    } catch (RuntimeException e) {
      call.onError(StatusMapper.toStatusException(e));
    }
  }

  @Override
  public void cancelScan(CancelScanRequest request, StreamObserver<CancelScanResponse> responses) {
    try {
      ScanJob job = scheduler.cancel(Tenants.current(), request.getScanId());
      responses.onNext(CancelScanResponse.newBuilder().setScan(job.summary(scheduler.queuePosition(job))).build());
      responses.onCompleted();
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toStatusException(e));
    }
  }

  @Override
  public void listScans(ListScansRequest request, StreamObserver<ListScansResponse> responses) {
    try {
      int pageSize = PageTokens.pageSize(request.getPageSize());
      String key = PageTokens.decode("scans", request.getPageToken());
      long olderThan;
      try {
        olderThan = key.isEmpty() ? Long.MAX_VALUE : Long.parseLong(key);
      } catch (NumberFormatException e) {
        throw new org.abscan.spi.AbscanException(org.abscan.spi.ErrorCategory.INVALID_ARGUMENT,
            "invalid page token", List.of(new org.abscan.spi.AbscanException.Violation("page_token",
                "not a token this list returned")));
      }
      List<ScanJob> page = scheduler.listNewestFirst(Tenants.current(), olderThan, pageSize + 1);
      ListScansResponse.Builder response = ListScansResponse.newBuilder();
      for (ScanJob job : page.subList(0, Math.min(pageSize, page.size()))) {
        response.addScans(job.summary(scheduler.queuePosition(job)));
      }
      if (page.size() > pageSize) {
        response.setNextPageToken(
            PageTokens.encode("scans", Long.toString(page.get(pageSize - 1).ordinal())));
      }
      responses.onNext(response.build());
      responses.onCompleted();
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toStatusException(e));
    }
  }
}
