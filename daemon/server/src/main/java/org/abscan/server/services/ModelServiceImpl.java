package org.abscan.server.services;

import io.grpc.stub.StreamObserver;
import java.util.List;
import javax.inject.Inject;
import org.abscan.proto.model.v1.DeleteModelRequest;
import org.abscan.proto.model.v1.DeleteModelResponse;
import org.abscan.proto.model.v1.DescribeModelRequest;
import org.abscan.proto.model.v1.DescribeModelResponse;
import org.abscan.proto.model.v1.ListModelsRequest;
import org.abscan.proto.model.v1.ListModelsResponse;
import org.abscan.proto.model.v1.ModelServiceGrpc;
import org.abscan.proto.model.v1.StoredModel;
import org.abscan.proto.model.v1.UploadModelRequest;
import org.abscan.proto.model.v1.UploadModelResponse;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.errors.StatusMapper;
import org.abscan.server.models.ModelResolver;
import org.abscan.server.models.ModelStore;
import org.abscan.server.models.StoredModelInfo;
import org.abscan.server.models.TenantModelStores;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/** abscan.model.v1.ModelService: uploads into the caller's {@link ModelStore}, and what loaders see in a model. */
public final class ModelServiceImpl extends ModelServiceGrpc.ModelServiceImplBase {
  private final TenantModelStores stores;
  private final ModelResolver resolver;
  private final long maxUploadBytes;
  private final ScanBackend backend;

  @Inject
  ModelServiceImpl(TenantModelStores stores, ModelResolver resolver, DaemonConfig config, ScanBackend backend) {
    this.backend = backend;
    this.stores = stores;
    this.resolver = resolver;
    this.maxUploadBytes = config.maxUploadBytes();
  }

  @Override
  public StreamObserver<UploadModelRequest> uploadModel(StreamObserver<UploadModelResponse> responses) {
    return new UploadObserver(resolver, maxUploadBytes, responses);
  }

  @Override
  public void describeModel(DescribeModelRequest request, StreamObserver<DescribeModelResponse> responses) {
    try {
      if (!request.hasModel()) {
        throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "model is required",
            List.of(new AbscanException.Violation("model", "set model_id or server_path")));
      }
      backend.describe(request.getModel(), responses);
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toStatusException(e));
    }
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> responses) {
    try {
      int pageSize = PageTokens.pageSize(request.getPageSize());
      String after = PageTokens.decode("models", request.getPageToken());
      List<StoredModelInfo> all = stores.current().list().stream().filter(m -> m.id().compareTo(after) > 0).toList();
      ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
      for (StoredModelInfo model : all.subList(0, Math.min(pageSize, all.size()))) {
        response.addModels(StoredModel.newBuilder()
            .setModelId(model.id())
            .setFilename(model.filename())
            .setSizeBytes(model.sizeBytes())
            .setFormat(model.format())
            .setUploadedUnixMillis(model.uploadedUnixMillis()));
      }
      if (all.size() > pageSize) {
        response.setNextPageToken(PageTokens.encode("models", all.get(pageSize - 1).id()));
      }
      responses.onNext(response.build());
      responses.onCompleted();
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toStatusException(e));
    }
  }

  @Override
  public void deleteModel(DeleteModelRequest request, StreamObserver<DeleteModelResponse> responses) {
    try {
      stores.current().delete(request.getModelId());
      responses.onNext(DeleteModelResponse.getDefaultInstance());
      responses.onCompleted();
    } catch (RuntimeException e) {
      responses.onError(StatusMapper.toStatusException(e));
    }
  }
}
