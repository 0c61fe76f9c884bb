package org.abscan.server.models;

import org.abscan.proto.common.v1.Layout;
import org.abscan.proto.model.v1.InputSpec;
import org.abscan.proto.model.v1.LayerInfo;
import org.abscan.proto.model.v1.ModelDescription;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelSpec;

/** What DescribeModel answers for a loaded model; built wherever the model was parsed (daemon or worker). */
public final class ModelDescriptions {
  private ModelDescriptions() {}

  public static ModelDescription describe(String sha256, String format, ModelSpec spec) {
    var input = spec.input();
    ModelDescription.Builder description = ModelDescription.newBuilder()
        .setModelId(sha256)
        .setFormat(format)
        .setInput(InputSpec.newBuilder()
            .setName(input.name())
            .setHeight(input.height())
            .setWidth(input.width())
            .setChannels(input.channels())
            .setLayout(input.layout() == org.abscan.spi.model.InputSpec.Layout.NCHW
                ? Layout.LAYOUT_NCHW : Layout.LAYOUT_NHWC))
        .setLogits(spec.logitsName())
        .setNumLabels(spec.numLabels())
        .setParameterCount(spec.parameterCount());
    for (LayerSpec layer : spec.layers()) {
      LayerInfo.Builder info = LayerInfo.newBuilder()
          .setName(layer.name())
          .setKind(layer.kind())
          .setNeurons(layer.neurons())
          .setCandidate(layer.candidate());
      for (long d : layer.shape()) {
        info.addShape(d);
      }
      description.addLayers(info);
    }
    return description.build();
  }
}
