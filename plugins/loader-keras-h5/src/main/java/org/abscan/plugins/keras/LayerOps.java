package org.abscan.plugins.keras;

import java.util.List;
import java.util.Map;

/** Dispatches a Keras layer class to the code that checks and builds it. */
final class LayerOps {
  private LayerOps() {}

  static LayerOp create(KerasLayer layer, LayerConfig c, List<long[]> in, Map<String, Weight> weights) {
    String cls = layer.className();
    if (in.isEmpty()) {
      throw c.malformed(cls + " without inputs");
    }
    if (!cls.equals("Add") && !cls.equals("Concatenate") && in.size() != 1) {
      throw c.malformed(cls + " with " + in.size() + " inputs");
    }
    long[] first = in.get(0);
    return switch (cls) {
      case "Conv2D" -> ConvolutionLayers.conv2d(c, first, weights, false);
      case "DepthwiseConv2D" -> ConvolutionLayers.conv2d(c, first, weights, true);
      case "Dense" -> ConvolutionLayers.dense(c, first, weights);
      case "Activation" -> ElementwiseLayers.activation(first, Activations.of(c));
      case "ReLU" -> ElementwiseLayers.relu(c, first);
      case "LeakyReLU" -> ElementwiseLayers.leakyRelu(c, first);
      case "Softmax" -> ElementwiseLayers.softmax(c, first);
      case "BatchNormalization" -> ElementwiseLayers.batchNormalization(c, first, weights);
      case "Dropout", "SpatialDropout2D" -> ElementwiseLayers.identity(first);
      case "MaxPooling2D" -> PoolingLayers.pool2d(c, first, true);
      case "AveragePooling2D" -> PoolingLayers.pool2d(c, first, false);
      case "GlobalMaxPooling2D" -> PoolingLayers.global(c, first, true);
      case "GlobalAveragePooling2D" -> PoolingLayers.global(c, first, false);
      case "Add" -> StructureLayers.add(c, in);
      case "Concatenate" -> StructureLayers.concatenate(c, in);
      case "Flatten" -> StructureLayers.flatten(c, first);
      case "Reshape" -> StructureLayers.reshape(c, first);
      case "ZeroPadding2D" -> StructureLayers.zeroPadding(c, first);
      default -> throw KerasErrors.unsupported(layer.name(), "layer class " + cls + " is not supported");
    };
  }
}
