package org.abscan.plugins.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelSpec;

/**
 * Turns a parsed topology and its weights into buildable {@link ModelNode}s and the {@link ModelSpec}: splits
 * fused activations into two tensors, cuts a trailing softmax so the logits are exposed, and marks candidates.
 */
final class KerasModelAssembler {
  static final String FORMAT = "keras-h5";
  private static final Set<String> WEIGHTED = Set.of("Conv2D", "DepthwiseConv2D", "Dense");
  private static final Set<String> ACTIVATIONS = Set.of("Activation", "ReLU", "LeakyReLU");
  /** Layers an activation may sit behind and still be "the activation of" a conv/dense layer. */
  private static final Set<String> PASS_THROUGH = Set.of("BatchNormalization", "Dropout", "SpatialDropout2D");

  private final KerasTopology topology;
  private final KerasH5Contents contents;
  private final Map<String, long[]> shapes = new HashMap<>();
  private final List<ModelNode> nodes = new ArrayList<>();

  private KerasModelAssembler(KerasTopology topology, KerasH5Contents contents) {
    this.topology = topology;
    this.contents = contents;
  }

  static KerasLoadedModel assemble(KerasTopology topology, KerasH5Contents contents) {
    return new KerasModelAssembler(topology, contents).assemble();
  }

  private KerasLoadedModel assemble() {
    long[] inputShape = topology.inputShape();
    if (inputShape.length != 3) {
      throw KerasErrors.unsupported(topology.input().name(),
          "input of rank " + inputShape.length + " (an NHWC image input [H, W, C] is required)");
    }
    shapes.put(topology.input().name(), inputShape);
    KerasLayer output = find(topology.output());
    boolean softmaxLayerCut = isSoftmaxLayer(output);
    String logitsName = softmaxLayerCut ? single(output) : output.name();
    long parameters = 0;
    for (KerasLayer layer : topology.layers()) {
      if (softmaxLayerCut && layer == output) {
        continue;
      }
      parameters += contents.weightsOf(layer.name()).values().stream().mapToLong(Weight::size).sum();
      addNodes(layer, layer == output);
    }
    long[] logitsShape = shapes.get(logitsName);
    if (logitsShape.length != 1) {
      throw KerasErrors.unsupported(logitsName, "logits of shape " + java.util.Arrays.toString(logitsShape)
          + " (a [batch, labels] output is required)");
    }
    InputSpec input = new InputSpec(topology.input().name(), (int) inputShape[0], (int) inputShape[1],
        (int) inputShape[2], InputSpec.Layout.NHWC);
    List<LayerSpec> layers = new ArrayList<>();
    CandidateRule candidates = new CandidateRule(nodes, logitsName);
    for (ModelNode node : nodes) {
      long[] shape = node.op().outputShape();
      layers.add(new LayerSpec(node.name(), node.kind(), shape, shape.length - 1, candidates.isCandidate(node)));
    }
    ModelSpec spec = new ModelSpec(FORMAT, input, layers, logitsName, (int) logitsShape[0], parameters);
    return new KerasLoadedModel(spec, nodes);
  }

  private void addNodes(KerasLayer layer, boolean isOutput) {
    LayerConfig c = new LayerConfig(layer);
    List<long[]> in = new ArrayList<>();
    for (String input : layer.inputs()) {
      long[] shape = shapes.get(input);
      if (shape == null) {
        throw KerasErrors.malformed("layer " + layer.name(), "input " + input + " is not built before it");
      }
      in.add(shape);
    }
    String cls = layer.className();
    if (WEIGHTED.contains(cls)) {
      LayerOp linear = LayerOps.create(layer, c, in, contents.weightsOf(layer.name()));
      String activation = Activations.of(c);
      // The last layer's softmax is cut: its pre-softmax output is the logits.
      if (activation.equals(Activations.LINEAR) || (isOutput && activation.equals(Activations.SOFTMAX))) {
        add(new ModelNode(layer.name(), cls, layer.inputs(), linear));
      } else {
        String pre = layer.name() + ModelNode.PRE_ACTIVATION;
        add(new ModelNode(pre, cls, layer.inputs(), linear));
        add(new ModelNode(layer.name(), cls + "/" + activation, List.of(pre),
            ElementwiseLayers.activation(linear.outputShape(), activation)));
      }
    } else {
      LayerOp op = LayerOps.create(layer, c, in, contents.weightsOf(layer.name()));
      String kind = cls.equals("Activation") ? cls + "/" + Activations.of(c) : cls;
      add(new ModelNode(layer.name(), kind, layer.inputs(), op));
    }
  }

  private void add(ModelNode node) {
    if (shapes.containsKey(node.name())) {
      throw KerasErrors.malformed("layer " + node.name(), "name used twice");
    }
    shapes.put(node.name(), node.op().outputShape());
    nodes.add(node);
  }

  private static boolean isSoftmaxLayer(KerasLayer layer) {
    if (layer.className().equals("Softmax")) {
      return true;
    }
    return layer.className().equals("Activation")
        && Activations.SOFTMAX.equals(layer.config().path("activation").asText(""));
  }

  private static String single(KerasLayer layer) {
    if (layer.inputs().size() != 1) {
      throw KerasErrors.malformed("layer " + layer.name(), "softmax with " + layer.inputs().size() + " inputs");
    }
    return layer.inputs().get(0);
  }

  private KerasLayer find(String name) {
    return topology.layers().stream()
        .filter(l -> l.name().equals(name))
        .findFirst()
        .orElseThrow(() -> KerasErrors.unsupported(name, "the model's output is its input layer"));
  }

  /** Which tensors ABS analyses by default: conv/dense activations, never the logits or a pre-activation. */
  private static final class CandidateRule {
    private final Map<String, ModelNode> byName = new HashMap<>();
    private final Map<String, List<ModelNode>> consumers = new HashMap<>();
    private final String logitsName;

    CandidateRule(List<ModelNode> nodes, String logitsName) {
      this.logitsName = logitsName;
      for (ModelNode node : nodes) {
        byName.put(node.name(), node);
        for (String input : node.inputs()) {
          consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
        }
      }
    }

    boolean isCandidate(ModelNode node) {
      if (node.name().equals(logitsName) || node.name().endsWith(ModelNode.PRE_ACTIVATION)) {
        return false;
      }
      String cls = baseClass(node);
      if (WEIGHTED.contains(cls)) {
        // A fused activation's output, or a linear layer whose activation is not a separate layer after it.
        return node.kind().contains("/") || !feedsActivation(node);
      }
      if (ACTIVATIONS.contains(cls) && !node.kind().endsWith("/" + Activations.SOFTMAX)) {
        return followsWeighted(node);
      }
      return false;
    }

    /** A loop, not recursion: a pass-through chain is as long as the untrusted config makes it. */
    private boolean feedsActivation(ModelNode node) {
      ModelNode current = node;
      while (true) {
        List<ModelNode> next = consumers.getOrDefault(current.name(), List.of());
        if (next.size() != 1) {
          return false;
        }
        String cls = baseClass(next.get(0));
        if (!PASS_THROUGH.contains(cls)) {
          return ACTIVATIONS.contains(cls);
        }
        current = next.get(0);
      }
    }

    private boolean followsWeighted(ModelNode node) {
      ModelNode previous = byName.get(node.inputs().get(0));
      while (previous != null && PASS_THROUGH.contains(baseClass(previous))) {
        previous = byName.get(previous.inputs().get(0));
      }
      return previous != null && WEIGHTED.contains(baseClass(previous)) && !previous.kind().contains("/");
    }

    private static String baseClass(ModelNode node) {
      int slash = node.kind().indexOf('/');
      return slash < 0 ? node.kind() : node.kind().substring(0, slash);
    }
  }
}
