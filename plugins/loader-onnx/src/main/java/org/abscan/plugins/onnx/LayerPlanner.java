package org.abscan.plugins.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;

/**
 * Decides which tensors are layers, where the logits are, and which nodes must be built.
 *
 * <p>By default every Conv, ConvTranspose, Gemm and MatMul output is a layer named after its node ({@code /conv1/Conv}; the
 * first output's name when the node has no unique name), of kind "Conv", "Gemm" or "MatMul". When the layer's
 * output flows (through BatchNormalization, a bias Add, Dropout or Identity, each its only consumer) into an
 * activation, that activation's output is a second layer, {@code <layer>/<activation>} of kind
 * {@code <op>/<activation>} ("Conv/relu"): these post-activation layers are the candidates ABS analyses. A
 * final Softmax (or LogSoftmax) is cut: its input is the logits.
 */
final class LayerPlanner {
  private static final Set<String> LAYER_OPS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");
  private static final Set<String> PASS_THROUGH = Set.of("BatchNormalization", "Identity", "Dropout", "Add");
  private static final Set<String> ACTIVATIONS = Set.of("Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip");

  /** A layer: its name, kind, the ONNX value it exposes, and whether ABS analyses it by default. */
  record LayerDef(String name, String kind, String tensor, boolean candidate) {}

  /**
   * @param layers in model order
   * @param logitsTensor the value holding the pre-softmax logits
   * @param needed indices of the nodes that must be built
   */
  record Plan(List<LayerDef> layers, String logitsTensor, BitSet needed) {
    LayerDef layer(String name) {
      return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
    }
  }

  private final OnnxModel model;
  private final Map<String, Integer> producers;
  private final Map<String, List<Integer>> consumers = new HashMap<>();

  LayerPlanner(OnnxModel model) {
    this.model = model;
    this.producers = model.producers();
    List<NodeProto> nodes = model.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      for (String input : nodes.get(i).getInputList()) {
        consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(i);
      }
    }
  }

  /** @param userLayers layer name to value name from LoadOptions.layerTensors; empty for the default layers */
  Plan plan(Map<String, String> userLayers) {
    String logits = logitsTensor();
    List<LayerDef> layers = userLayers.isEmpty() ? defaultLayers(logits) : userLayers(userLayers, logits);
    if (layers.stream().noneMatch(l -> l.tensor().equals(logits))) {
      Integer producer = producers.get(logits);
      String kind = producer == null ? "Input" : model.nodes().get(producer).getOpType();
      layers.add(new LayerDef(logits, kind, logits, false));
    }
    layers.sort(Comparator.comparingInt(l -> producers.getOrDefault(l.tensor(), -1)));
    BitSet needed = needed(layers);
    checkSupported(needed);
    return new Plan(List.copyOf(layers), logits, needed);
  }

  private String logitsTensor() {
    String t = model.outputName();
    while (true) {
      Integer p = producers.get(t);
      if (p == null) {
        return t;
      }
      NodeProto node = model.nodes().get(p);
      switch (node.getOpType()) {
        case "Identity", "Dropout" -> t = node.getInput(0);
        case "Softmax", "LogSoftmax" -> {
          return node.getInput(0);
        }
        default -> {
          return t;
        }
      }
    }
  }

  private List<LayerDef> defaultLayers(String logits) {
    List<LayerDef> layers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Map<String, Integer> nameCounts = new HashMap<>();
    for (NodeProto node : model.nodes()) {
      nameCounts.merge(node.getName(), 1, Integer::sum);
    }
    for (NodeProto node : model.nodes()) {
      if (!LAYER_OPS.contains(node.getOpType()) || !OnnxModelReader.isDefaultDomain(node.getDomain())) {
        continue;
      }
      String base = node.getName().isEmpty() || nameCounts.get(node.getName()) > 1
          ? node.getOutput(0) : node.getName();
      base = unique(base, names);
      layers.add(new LayerDef(base, node.getOpType(), node.getOutput(0), false));
      NodeProto activation = activationAfter(node.getOutput(0));
      if (activation != null) {
        String suffix = activation.getOpType().toLowerCase(Locale.ROOT);
        String tensor = activation.getOutput(0);
        layers.add(new LayerDef(unique(base + "/" + suffix, names), node.getOpType() + "/" + suffix, tensor,
            !tensor.equals(logits)));
      }
    }
    return layers;
  }

  private NodeProto activationAfter(String tensor) {
    String current = tensor;
    for (int hops = 0; hops < 8; hops++) {
      List<Integer> users = consumers.getOrDefault(current, List.of());
      if (users.size() != 1) {
        return null;
      }
      NodeProto next = model.nodes().get(users.get(0));
      if (ACTIVATIONS.contains(next.getOpType()) && next.getInput(0).equals(current)) {
        return next;
      }
      boolean passes;
      if (next.getOpType().equals("Add")) {
        // A bias add after MatMul, whichever side the exporter put the bias on.
        passes = next.getInputCount() == 2 && next.getInputList().contains(current)
            && model.constants().containsKey(next.getInput(next.getInput(0).equals(current) ? 1 : 0));
      } else {
        passes = PASS_THROUGH.contains(next.getOpType()) && next.getInput(0).equals(current);
      }
      if (!passes) {
        return null;
      }
      current = next.getOutput(0);
    }
    return null;
  }

  private List<LayerDef> userLayers(Map<String, String> userLayers, String logits) {
    List<LayerDef> layers = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    for (Map.Entry<String, String> e : userLayers.entrySet()) {
      Integer producer = producers.get(e.getValue());
      if (producer == null || model.constants().containsKey(e.getValue())) {
        violations.add(new Violation("layerTensors." + e.getKey(), "no node computes an activation named "
            + e.getValue()));
        continue;
      }
      layers.add(new LayerDef(e.getKey(), model.nodes().get(producer).getOpType(), e.getValue(),
          !e.getValue().equals(logits)));
    }
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "unknown layer tensors", violations);
    }
    return layers;
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int i = 2; !taken.add(candidate); i++) {
      candidate = name + "_" + i;
    }
    return candidate;
  }

  /** Nodes the logits and the layers depend on: everything else (a final Softmax, dead branches) is skipped. */
  private BitSet needed(List<LayerDef> layers) {
    BitSet needed = new BitSet();
    Deque<String> pending = new ArrayDeque<>();
    layers.forEach(l -> pending.add(l.tensor()));
    while (!pending.isEmpty()) {
      Integer p = producers.get(pending.pop());
      if (p != null && !needed.get(p)) {
        needed.set(p);
        model.nodes().get(p).getInputList().stream().filter(s -> !s.isEmpty()).forEach(pending::add);
      }
    }
    return needed;
  }

  private void checkSupported(BitSet needed) {
    List<Violation> violations = new ArrayList<>();
    for (int i = needed.nextSetBit(0); i >= 0; i = needed.nextSetBit(i + 1)) {
      NodeProto node = model.nodes().get(i);
      if (!OnnxModelReader.isDefaultDomain(node.getDomain())) {
        violations.add(new Violation(nodeName(node), "op " + node.getOpType() + " of domain "
            + node.getDomain() + " is not supported"));
      } else if (!OpConverters.SUPPORTED.contains(node.getOpType())) {
        violations.add(new Violation(nodeName(node), "op " + node.getOpType() + " is not supported"));
      }
    }
    if (!violations.isEmpty()) {
      StringBuilder message = new StringBuilder("unsupported ONNX ops:");
      violations.forEach(v -> message.append(' ').append(v.subject()).append(" (")
          .append(v.description().replace("op ", "").replace(" is not supported", "")).append(')'));
      throw new AbscanException(ErrorCategory.UNSUPPORTED_MODEL, message.toString(), violations);
    }
  }

  private static String nodeName(NodeProto node) {
    return node.getName().isEmpty() ? node.getOutput(0) : node.getName();
  }
}
