package org.abscan.plugins.savedmodel;

import java.util.List;
import java.util.Map;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * Everything needed to re-create the model in another graph: the nodes the layers and logits depend on, in
 * build order, with variables already replaced by their values.
 *
 * @param nodes nodes in an order where inputs come first; includes the input placeholder
 * @param inputNode the placeholder the caller's input replaces
 * @param frozen variable (or ReadVariableOp) node name to the value that replaces it, as a Const
 * @param layerTensors layer name to tensor name ("conv1/Relu:0"), in model order
 * @param logitsTensor tensor name of the pre-softmax logits
 * @param layerKinds layer name to its kind for the spec ("Conv2D/relu")
 */
record GraphRecipe(
    List<NodeDef> nodes,
    String inputNode,
    Map<String, TensorProto> frozen,
    Map<String, String> layerTensors,
    String logitsTensor,
    Map<String, String> layerKinds) {
  GraphRecipe {
    nodes = List.copyOf(nodes);
    frozen = Map.copyOf(frozen);
    layerTensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layerTensors));
    layerKinds = Map.copyOf(layerKinds);
  }
}
