package org.abscan.server.testing;

import com.google.protobuf.ByteString;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.common.v1.SeedImage;
import org.abscan.proto.common.v1.SeedSet;
import org.abscan.proto.model.v1.ModelServiceGrpc;
import org.abscan.proto.model.v1.UploadModelMetadata;
import org.abscan.proto.model.v1.UploadModelRequest;
import org.abscan.proto.model.v1.UploadModelResponse;
import org.abscan.proto.scan.v1.GetScanRequest;
import org.abscan.proto.scan.v1.ScanRequest;
import org.abscan.proto.scan.v1.ScanState;
import org.abscan.proto.scan.v1.ScanServiceGrpc;
import org.abscan.server.EmbeddedDaemon;
import org.abscan.server.config.DaemonConfig;

/** An embedded daemon with a fake engine on temp directories, plus helpers to talk to it. */
public final class TestDaemon {
  public final FakeScanEngine engine;
  public final DaemonConfig config;
  public final EmbeddedDaemon daemon;
  public final ManagedChannel channel;
  public final ScanServiceGrpc.ScanServiceBlockingStub scans;
  public final ScanServiceGrpc.ScanServiceStub scansAsync;
  public final ModelServiceGrpc.ModelServiceBlockingStub models;
  public final ModelServiceGrpc.ModelServiceStub modelsAsync;

  public TestDaemon(GrpcCleanup cleanup, Path temp, java.util.function.UnaryOperator<DaemonConfig> tweak) {
    this.engine = new FakeScanEngine();
    this.config = tweak.apply(DaemonConfig.defaults()
        .withDataDir(temp.resolve("data"))
        .withModelRoots(List.of(temp.resolve("roots")))
        .withWorkers(2)
        .withQueueCapacity(4));
    this.daemon = cleanup.register(EmbeddedDaemon.start(TestDaemonComponent.create(config, engine)));
    this.channel = daemon.channel();
    this.scans = ScanServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    this.scansAsync = ScanServiceGrpc.newStub(channel);
    this.models = ModelServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    this.modelsAsync = ModelServiceGrpc.newStub(channel);
  }

  private TestDaemon(TestDaemon daemon, String token) {
    this.engine = daemon.engine;
    this.config = daemon.config;
    this.daemon = daemon.daemon;
    this.channel = daemon.channel;
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    ClientInterceptor bearer = MetadataUtils.newAttachHeadersInterceptor(headers);
    this.scans = daemon.scans.withInterceptors(bearer);
    this.scansAsync = daemon.scansAsync.withInterceptors(bearer);
    this.models = daemon.models.withInterceptors(bearer);
    this.modelsAsync = daemon.modelsAsync.withInterceptors(bearer);
  }

  /** The same daemon, called with {@code authorization: Bearer token}. */
  public TestDaemon as(String token) {
    return new TestDaemon(this, token);
  }

  /** Uploads in chunks of {@code chunkSize}; the future fails with the call's status. */
  public CompletableFuture<UploadModelResponse> upload(
      String filename, byte[] content, long declaredSize, int chunkSize) {
    CompletableFuture<UploadModelResponse> result = new CompletableFuture<>();
    StreamObserver<UploadModelRequest> requests = modelsAsync.uploadModel(new StreamObserver<>() {
      @Override
      public void onNext(UploadModelResponse value) {
        result.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.completeExceptionally(new IllegalStateException("no response"));
      }
    });
    requests.onNext(UploadModelRequest.newBuilder().setMetadata(UploadModelMetadata.newBuilder()
        .setFilename(filename).setSizeBytes(declaredSize)).build());
    for (int offset = 0; offset < content.length; offset += chunkSize) {
      int n = Math.min(chunkSize, content.length - offset);
      requests.onNext(UploadModelRequest.newBuilder()
          .setChunk(ByteString.copyFrom(content, offset, n)).build());
    }
    requests.onCompleted();
    return result;
  }

  public String uploadOk(String filename, byte[] content) throws Exception {
    return upload(filename, content, content.length, 7).get(30, TimeUnit.SECONDS).getModelId();
  }

  public static ScanRequest scanRequest(String modelId, SeedSet seeds) {
    return ScanRequest.newBuilder()
        .setModel(ModelRef.newBuilder().setModelId(modelId))
        .setSeeds(seeds)
        .build();
  }

  /** {@code count} distinct RGB PNGs of size w x h, labels 0, 1, 2, ... */
  public static SeedSet pngSeeds(int count, int w, int h) {
    SeedSet.Builder seeds = SeedSet.newBuilder();
    for (int i = 0; i < count; i++) {
      seeds.addImages(SeedImage.newBuilder().setData(ByteString.copyFrom(png(w, h, i * 40)))
          .setLabel(i).setName("img" + i + ".png"));
    }
    return seeds.build();
  }

  public static byte[] png(int w, int h, int shade) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, (shade & 0xff) << 16 | ((x * 30) & 0xff) << 8 | ((y * 30) & 0xff));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The rich-status detail of type {@code type} carried by a failed call. */
  public static <T extends com.google.protobuf.Message> Optional<T> detail(Throwable failure, Class<T> type) {
    Throwable t = failure;
    while (t != null && !(t instanceof StatusRuntimeException)) {
      t = t.getCause();
    }
    if (t == null) {
      return Optional.empty();
    }
    com.google.rpc.Status status = StatusProto.fromThrowable(t);
    if (status == null) {
      return Optional.empty();
    }
    for (com.google.protobuf.Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return Optional.of(any.unpack(type));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Optional.empty();
  }

  /** Polls GetScan until the scan has ended (not queued, not running); fails the test after 20 s. */
  public ScanState awaitEnd(String scanId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      ScanState state = scans.getScan(GetScanRequest.newBuilder().setScanId(scanId).build())
          .getScan().getState();
      if (state != ScanState.SCAN_STATE_QUEUED && state != ScanState.SCAN_STATE_RUNNING) {
        return state;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("scan " + scanId + " did not end");
  }
}
