package org.abscan.plugins.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.abscan.spi.model.InputSpec;

/**
 * A validated ONNX graph: nodes in topological order, every constant decoded, the one image input and the
 * output.
 *
 * @param constants initializers and Constant-node outputs by value name
 * @param opset the default-domain opset version
 * @param parameterCount elements of all float initializers
 */
record OnnxModel(
    List<NodeProto> nodes,
    Map<String, ConstTensor> constants,
    InputSpec input,
    String outputName,
    int opset,
    long parameterCount) {

  OnnxModel {
    nodes = List.copyOf(nodes);
    constants = Map.copyOf(constants);
  }

  /** Value name to the index of the node that produces it. */
  Map<String, Integer> producers() {
    Map<String, Integer> producers = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String output : nodes.get(i).getOutputList()) {
        if (!output.isEmpty()) {
          producers.put(output, i);
        }
      }
    }
    return producers;
  }
}
