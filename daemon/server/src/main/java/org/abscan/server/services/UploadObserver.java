package org.abscan.server.services;

import io.grpc.stub.StreamObserver;
import java.util.List;
import org.abscan.proto.model.v1.UploadModelRequest;
import org.abscan.proto.model.v1.UploadModelResponse;
import org.abscan.server.errors.StatusMapper;
import org.abscan.server.models.ModelResolver;
import org.abscan.server.models.ModelUpload;
import org.abscan.server.models.StoredModelInfo;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The server side of one UploadModel stream: metadata first, then chunks. After the first error the call is
 * closed and the rest of the client's messages are ignored; whatever was received is deleted.
 */
final class UploadObserver implements StreamObserver<UploadModelRequest> {
  private static final Logger LOG = LogManager.getLogger(UploadObserver.class);

  private final ModelResolver resolver;
  private final long cap;
  private final StreamObserver<UploadModelResponse> responses;
  private ModelUpload upload;
  private boolean done;

  UploadObserver(ModelResolver resolver, long cap, StreamObserver<UploadModelResponse> responses) {
    this.resolver = resolver;
    this.cap = cap;
    this.responses = responses;
  }

  @Override
  public void onNext(UploadModelRequest request) {
    if (done) {
      return;
    }
    try {
      if (upload == null) {
        if (!request.hasMetadata()) {
          throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "the first message must carry metadata",
              List.of(new AbscanException.Violation("metadata", "send metadata before any chunk")));
        }
        upload = resolver.startUpload(request.getMetadata(), cap);
      } else if (request.hasMetadata()) {
        throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "metadata may only be sent once",
            List.of(new AbscanException.Violation("metadata", "sent again after the first message")));
      } else {
        upload.append(request.getChunk());
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  @Override
  public void onError(Throwable t) {
    LOG.debug("upload abandoned by the client: {}", t.toString());
    done = true;
    abort();
  }

  @Override
  public void onCompleted() {
    if (done) {
      return;
    }
    done = true;
    try {
      if (upload == null) {
        throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "empty upload: no metadata and no chunks",
            List.of(new AbscanException.Violation("metadata", "missing")));
      }
      StoredModelInfo stored = upload.finish();
      LOG.info("model {} stored ({} bytes, format '{}')", stored.id(), stored.sizeBytes(), stored.format());
      responses.onNext(UploadModelResponse.newBuilder()
          .setModelId(stored.id())
          .setSizeBytes(stored.sizeBytes())
          .setFormat(stored.format())
          .build());
      responses.onCompleted();
    } catch (RuntimeException e) {
      abort();
      responses.onError(StatusMapper.toStatusException(e));
    }
  }

  private void fail(RuntimeException e) {
    done = true;
    abort();
    responses.onError(StatusMapper.toStatusException(e));
  }

  private void abort() {
    if (upload != null) {
      upload.abort();
    }
  }
}
