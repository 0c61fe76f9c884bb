package org.abscan.cli.testing;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.abscan.proto.model.v1.DescribeModelRequest;
import org.abscan.proto.model.v1.DescribeModelResponse;
import org.abscan.proto.model.v1.ModelDescription;
import org.abscan.proto.model.v1.ModelServiceGrpc;
import org.abscan.proto.model.v1.UploadModelRequest;
import org.abscan.proto.model.v1.UploadModelResponse;

/** ModelService fake: keeps uploads (the id is the sha256 of the bytes, as the real one) and canned descriptions. */
public final class FakeModelService extends ModelServiceGrpc.ModelServiceImplBase {
  /** Every upload: its messages in order and the reassembled bytes. */
  public record Upload(List<UploadModelRequest> messages, byte[] content) {}

  public final List<Upload> uploads = new CopyOnWriteArrayList<>();
  public final List<DescribeModelRequest> describeRequests = new CopyOnWriteArrayList<>();
  public volatile ModelDescription description = ModelDescription.getDefaultInstance();
  public volatile StatusRuntimeException describeError;

  @Override
  public StreamObserver<UploadModelRequest> uploadModel(StreamObserver<UploadModelResponse> response) {
    List<UploadModelRequest> messages = new CopyOnWriteArrayList<>();
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    return new StreamObserver<>() {
      @Override
      public void onNext(UploadModelRequest request) {
        messages.add(request);
        if (request.hasChunk()) {
          content.writeBytes(request.getChunk().toByteArray());
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        byte[] bytes = content.toByteArray();
        uploads.add(new Upload(messages, bytes));
        response.onNext(UploadModelResponse.newBuilder().setModelId(Fixtures.sha256(bytes))
            .setSizeBytes(bytes.length).setFormat("keras-h5").build());
        response.onCompleted();
      }
    };
  }

  @Override
  public void describeModel(DescribeModelRequest request, StreamObserver<DescribeModelResponse> response) {
    describeRequests.add(request);
    if (describeError != null) {
      response.onError(describeError);
      return;
    }
    response.onNext(DescribeModelResponse.newBuilder().setDescription(description).build());
    response.onCompleted();
  }
}
