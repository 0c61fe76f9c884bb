package org.abscan.plugins.savedmodel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Finds the model's input placeholder, its logits and the layers ABS should analyse in a GraphDef that has no
 * notion of layers: a layer is the activation that follows a Conv2D / MatMul (+ BiasAdd / batch norm), and the
 * logits are the input of the final Softmax, or the final BiasAdd / MatMul when there is no softmax.
 */
final class LayerFinder {
  static final Set<String> ACTIVATIONS = Set.of("Relu", "Relu6", "LeakyRelu", "Elu", "Selu", "Sigmoid", "Tanh");
  private static final Set<String> LINEAR = Set.of("Conv2D", "DepthwiseConv2dNative", "MatMul");
  private static final Set<String> AFFINE_TAILS =
      Set.of("BiasAdd", "Add", "AddV2", "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");
  private static final Set<String> LOGIT_OPS = Set.of("BiasAdd", "MatMul", "Add", "AddV2");

  private final GraphNodes nodes;
  private final Optional<SignatureDef> signature;

  LayerFinder(GraphNodes nodes, Optional<SignatureDef> signature) {
    this.nodes = nodes;
    this.signature = signature;
  }

  /** The float placeholder the images go into. */
  NodeDef input() {
    if (signature.isPresent() && signature.get().getInputsCount() == 1) {
      TensorInfo info = signature.get().getInputsMap().values().iterator().next();
      NodeDef node = nodes.require(GraphNodes.nodeName(info.getName()));
      if (node.getOp().equals("Placeholder")) {
        if (node.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType() != DataType.DT_FLOAT) {
          throw new AbscanException(
              ErrorCategory.UNSUPPORTED_MODEL,
              "the model's input " + node.getName() + " is not float32; abscan feeds float images",
              List.of(new Violation(node.getName(), "input of type "
                  + node.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType())));
        }
        return node;
      }
    }
    List<NodeDef> placeholders =
        nodes.all().stream()
            .filter(n -> n.getOp().equals("Placeholder"))
            .filter(n -> n.getAttrOrDefault("dtype", AttrValue.getDefaultInstance()).getType() == DataType.DT_FLOAT)
            .toList();
    if (placeholders.size() != 1) {
      throw new AbscanException(
          ErrorCategory.UNSUPPORTED_MODEL,
          "expected exactly one float Placeholder as the image input, found " + placeholders.size(),
          // With none there is no node to name: the violation names the missing input (found by fuzzing).
          placeholders.isEmpty()
              ? List.of(new Violation("input", "no float Placeholder in the graph"))
              : placeholders.stream().map(p -> new Violation(p.getName(), "float Placeholder")).toList());
    }
    return placeholders.get(0);
  }

  /** Tensor name of the pre-softmax logits. */
  String logits() {
    if (signature.isPresent() && signature.get().getOutputsCount() == 1) {
      TensorInfo info = signature.get().getOutputsMap().values().iterator().next();
      return logitsBehind(info.getName());
    }
    List<NodeDef> sinks =
        nodes.all().stream()
            .filter(n -> nodes.consumersOf(n.getName()).isEmpty())
            .filter(n -> !n.getOp().equals("NoOp"))
            .filter(n -> {
              String op = nodes.producerSkippingIdentity(n.getName()).getOp();
              return op.equals("Softmax") || LOGIT_OPS.contains(op);
            })
            .toList();
    List<NodeDef> softmaxSinks =
        sinks.stream()
            .filter(n -> nodes.producerSkippingIdentity(n.getName()).getOp().equals("Softmax"))
            .toList();
    List<NodeDef> chosen = softmaxSinks.isEmpty() ? sinks : softmaxSinks;
    if (chosen.size() != 1) {
      throw new AbscanException(
          ErrorCategory.UNSUPPORTED_MODEL,
          "cannot tell the model's output: expected one final Softmax or BiasAdd/MatMul, found "
              + chosen.size(),
          chosen.isEmpty()
              ? List.of(new Violation("output", "no final Softmax, BiasAdd or MatMul in the graph"))
              : chosen.stream().map(n -> new Violation(n.getName(), "graph output (op " + n.getOp() + ")")).toList());
    }
    return logitsBehind(chosen.get(0).getName());
  }

  private String logitsBehind(String outputTensor) {
    NodeDef producer = nodes.producerSkippingIdentity(outputTensor);
    if (producer.getOp().equals("Softmax")) {
      return GraphNodes.tensorName(producer.getInput(0));
    }
    return producer == nodes.require(GraphNodes.nodeName(outputTensor))
        ? GraphNodes.tensorName(outputTensor)
        : producer.getName() + ":0";
  }

  /** Layer name to tensor name: the activations after conv/dense layers in {@code order}, the logits excluded. */
  Map<String, String> automaticLayers(List<NodeDef> order, String logitsTensor) {
    Map<String, String> layers = new LinkedHashMap<>();
    for (NodeDef node : order) {
      String tensor = node.getName() + ":0";
      if (ACTIVATIONS.contains(node.getOp()) && !tensor.equals(logitsTensor) && linearKind(node).isPresent()) {
        layers.put(node.getName(), tensor);
      }
    }
    return layers;
  }

  /** "Conv2D/relu" for a Relu after Conv2D+BiasAdd; the node's op for anything else. */
  String kind(String tensor) {
    NodeDef node = nodes.require(GraphNodes.nodeName(tensor));
    return linearKind(node)
        .map(linear -> linear + "/" + node.getOp().toLowerCase(java.util.Locale.ROOT))
        .orElse(node.getOp());
  }

  /** The Conv2D / MatMul an activation applies to, through at most two affine ops (bias, batch norm). */
  private Optional<String> linearKind(NodeDef activation) {
    if (!ACTIVATIONS.contains(activation.getOp()) || activation.getInputCount() == 0) {
      return Optional.empty();
    }
    NodeDef node = nodes.producerSkippingIdentity(activation.getInput(0));
    for (int depth = 0; depth < 3; depth++) {
      if (LINEAR.contains(node.getOp())) {
        return Optional.of(node.getOp().equals("MatMul") ? "Dense" : node.getOp());
      }
      if (!AFFINE_TAILS.contains(node.getOp()) || node.getInputCount() == 0) {
        return Optional.empty();
      }
      node = nodes.producerSkippingIdentity(node.getInput(0));
    }
    return Optional.empty();
  }

  /** Checks the user's layer-to-tensor map: every tensor exists. */
  Map<String, String> userLayers(Map<String, String> layerTensors) {
    List<Violation> problems = new ArrayList<>();
    Map<String, String> layers = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : layerTensors.entrySet()) {
      String tensor = e.getValue();
      if (nodes.get(GraphNodes.nodeName(tensor)) == null || GraphNodes.isControl(tensor)) {
        problems.add(new Violation(e.getKey(), "no tensor named " + tensor + " in the graph"));
      } else {
        layers.put(e.getKey(), GraphNodes.tensorName(tensor));
      }
    }
    if (!problems.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "layerTensors names unknown tensors", problems);
    }
    return layers;
  }
}
