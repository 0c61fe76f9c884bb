package org.abscan.plugins.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.types.TFloat32;

/** A Keras model held in memory (config checked, weights read) that builds itself into any graph. */
final class KerasLoadedModel implements LoadedModel {
  private final ModelSpec spec;
  private final List<ModelNode> nodes;
  private final WeightConstants constants = new WeightConstants();

  KerasLoadedModel(ModelSpec spec, List<ModelNode> nodes) {
    this.spec = spec;
    this.nodes = List.copyOf(nodes);
  }

  /**
   * This model with the user's choice of layers to analyse instead of the default candidates. Keras layers are
   * addressed by name, so only the keys of {@link org.abscan.spi.model.LoadOptions#layerTensors()} matter.
   */
  KerasLoadedModel withCandidates(java.util.Set<String> names) {
    List<AbscanException.Violation> unknown = names.stream()
        .filter(name -> spec.layer(name).isEmpty())
        .sorted()
        .map(name -> new AbscanException.Violation(name, "no such layer in the model"))
        .toList();
    if (!unknown.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT,
          "layers to analyse not found in the Keras model: " + unknown.stream().map(v -> v.subject()).toList(),
          unknown);
    }
    List<org.abscan.spi.model.LayerSpec> layers = spec.layers().stream()
        .map(l -> new org.abscan.spi.model.LayerSpec(l.name(), l.kind(), l.shape(), l.channelAxis(),
            names.contains(l.name())))
        .toList();
    ModelSpec chosen = new ModelSpec(spec.format(), spec.input(), layers, spec.logitsName(), spec.numLabels(),
        spec.parameterCount());
    return new KerasLoadedModel(chosen, nodes);
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public ModelGraph build(Ops tf, Operand<TFloat32> input, Map<String, Operand<TFloat32>> overrides) {
    for (String name : overrides.keySet()) {
      if (spec.layer(name).isEmpty()) {
        throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "override for unknown layer " + name,
            List.of(new AbscanException.Violation(name, "no such layer in " + spec.format() + " model")));
      }
    }
    Map<String, Operand<TFloat32>> tensors = new HashMap<>();
    tensors.put(spec.input().name(), input);
    Map<String, Operand<TFloat32>> layers = new LinkedHashMap<>();
    for (ModelNode node : nodes) {
      Operand<TFloat32> output = overrides.get(node.name());
      if (output == null) {
        List<Operand<TFloat32>> inputs = new ArrayList<>(node.inputs().size());
        for (String name : node.inputs()) {
          inputs.add(tensors.get(name));
        }
        output = node.op().build(tf.withSubScope(scopeName(node.name())), inputs, constants);
      }
      tensors.put(node.name(), output);
      layers.put(node.name(), output);
    }
    return new ModelGraph(layers, tensors.get(spec.logitsName()));
  }

  /** Keras allows layer names TensorFlow rejects as op names. */
  private static String scopeName(String layer) {
    String name = layer.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    return Scope.isValidOpName(name) ? name : "layer_" + name;
  }
}
