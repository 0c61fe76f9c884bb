package org.abscan.cli.testing;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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
import org.abscan.proto.scan.v1.StreamNSFRequest;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.proto.scan.v1.WatchScanRequest;
import org.abscan.proto.scan.v1.WatchScanResponse;

/**
 * ScanService fake: streams canned events, then ends with {@code error} or completes; with {@code hang} it
 * never ends and counts down {@link #cancelled} when the client cancels.
 */
public final class FakeScanService extends ScanServiceGrpc.ScanServiceImplBase {
  public final List<Object> requests = new CopyOnWriteArrayList<>();
  public volatile List<ScanEvent> events = new ArrayList<>();
  public volatile List<StreamNSFResponse> nsfResponses = new ArrayList<>();
  public volatile List<GenerateTriggerResponse> triggerResponses = new ArrayList<>();
  public volatile GetScanResponse getResponse = GetScanResponse.getDefaultInstance();
  public volatile List<ListScansResponse> listPages = new ArrayList<>();
  public volatile CancelScanResponse cancelResponse = CancelScanResponse.getDefaultInstance();
  public volatile StatusRuntimeException error;
  public volatile boolean hang;
  public final CountDownLatch started = new CountDownLatch(1);
  public final CountDownLatch cancelled = new CountDownLatch(1);

  @Override
  public void scan(ScanRequest request, StreamObserver<ScanResponse> response) {
    requests.add(request);
    stream(events.stream().map(e -> ScanResponse.newBuilder().setEvent(e).build()).toList(), response);
  }

  @Override
  public void watchScan(WatchScanRequest request, StreamObserver<WatchScanResponse> response) {
    requests.add(request);
    stream(events.stream().map(e -> WatchScanResponse.newBuilder().setEvent(e).build()).toList(), response);
  }

  @Override
  public void streamNSF(StreamNSFRequest request, StreamObserver<StreamNSFResponse> response) {
    requests.add(request);
    stream(nsfResponses, response);
  }

  @Override
  public void generateTrigger(GenerateTriggerRequest request, StreamObserver<GenerateTriggerResponse> response) {
    requests.add(request);
    stream(triggerResponses, response);
  }

  @Override
  public void getScan(GetScanRequest request, StreamObserver<GetScanResponse> response) {
    requests.add(request);
    unary(getResponse, response);
  }

  @Override
  public void listScans(ListScansRequest request, StreamObserver<ListScansResponse> response) {
    requests.add(request);
    long earlier = requests.stream().filter(ListScansRequest.class::isInstance).count() - 1;
    unary(listPages.get((int) earlier), response);
  }

  @Override
  public void cancelScan(CancelScanRequest request, StreamObserver<CancelScanResponse> response) {
    requests.add(request);
    unary(cancelResponse, response);
  }

  public <T> T only(Class<T> type) {
    List<T> matching = requests.stream().filter(type::isInstance).map(type::cast).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", got " + matching);
    }
    return matching.get(0);
  }

  private <T> void stream(List<T> messages, StreamObserver<T> response) {
    messages.forEach(response::onNext);
    started.countDown();
    if (hang) {
      Context.current().addListener(context -> cancelled.countDown(), Runnable::run);
      return;
    }
    if (error != null) {
      response.onError(error);
    } else {
      response.onCompleted();
    }
  }

  private <T> void unary(T message, StreamObserver<T> response) {
    if (error != null) {
      response.onError(error);
      return;
    }
    response.onNext(message);
    response.onCompleted();
  }
}
