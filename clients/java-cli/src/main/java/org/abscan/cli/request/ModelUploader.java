package org.abscan.cli.request;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;
import org.abscan.proto.model.v1.ModelServiceGrpc;
import org.abscan.proto.model.v1.UploadModelMetadata;
import org.abscan.proto.model.v1.UploadModelRequest;
import org.abscan.proto.model.v1.UploadModelResponse;

/**
 * Streams a model to ModelService.UploadModel: metadata first, then 1 MiB chunks, sent only as fast as the
 * transport accepts them (flow control), so a large model never sits in memory whole. A directory is
 * uploaded as a zip of it.
 */
public final class ModelUploader {
  public static final int CHUNK_BYTES = 1 << 20;

  private final ModelServiceGrpc.ModelServiceStub stub;

  public ModelUploader(ModelServiceGrpc.ModelServiceStub stub) {
    this.stub = stub;
  }

  public UploadModelResponse upload(Path model, String format) {
    if (!Files.exists(model)) {
      throw new CliFailure(ExitCodes.REJECTED, "model not found: " + model);
    }
    Path zip = null;
    try {
      Path content = model;
      String filename = model.getFileName().toString();
      if (Files.isDirectory(model)) {
        zip = DirectoryZipper.zipToTempFile(model);
        content = zip;
        filename = filename + ".zip";
      }
      UploadModelMetadata metadata = UploadModelMetadata.newBuilder()
          .setFilename(filename)
          .setFormat(format == null ? "" : format)
          .setSizeBytes(Files.size(content))
          .build();
      try (InputStream in = Files.newInputStream(content)) {
        return send(metadata, in);
      }
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.REJECTED, "cannot read model " + model + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(zip);
    }
  }

  private UploadModelResponse send(UploadModelMetadata metadata, InputStream in) throws IOException {
    CompletableFuture<UploadModelResponse> result = new CompletableFuture<>();
    stub.uploadModel(new ClientResponseObserver<UploadModelRequest, UploadModelResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<UploadModelRequest> requests) {
        requests.setOnReadyHandler(new ChunkPump(requests, metadata, in, result));
      }

      @Override
      public void onNext(UploadModelResponse response) {
        result.complete(response);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.completeExceptionally(
            Status.INTERNAL.withDescription("the server ended the upload without a model id").asRuntimeException());
      }
    });
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCodes.INTERRUPTED, "upload interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Sends the next messages whenever the call can take them; runs serially on the call's executor. */
  private static final class ChunkPump implements Runnable {
    private final ClientCallStreamObserver<UploadModelRequest> requests;
    private final UploadModelMetadata metadata;
    private final InputStream in;
    private final CompletableFuture<UploadModelResponse> result;
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private boolean metadataSent;
    private boolean finished;

    ChunkPump(ClientCallStreamObserver<UploadModelRequest> requests, UploadModelMetadata metadata,
        InputStream in, CompletableFuture<UploadModelResponse> result) {
      this.requests = requests;
      this.metadata = metadata;
      this.in = in;
      this.result = result;
    }

    @Override
    public void run() {
      try {
        while (!finished && requests.isReady()) {
          if (!metadataSent) {
            requests.onNext(UploadModelRequest.newBuilder().setMetadata(metadata).build());
            metadataSent = true;
            continue;
          }
          int read = in.readNBytes(buffer, 0, buffer.length);
          if (read > 0) {
            requests.onNext(UploadModelRequest.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, read)).build());
          }
          if (read < buffer.length) {
            finished = true;
            requests.onCompleted();
          }
        }
      } catch (IOException e) {
        finished = true;
        requests.onError(Status.CANCELLED.withDescription("client could not read the model").asRuntimeException());
        result.completeExceptionally(e);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // A leftover temporary zip is harmless; the upload's outcome matters more.
      }
    }
  }
}
