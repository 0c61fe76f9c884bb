package org.abscan.plugins.savedmodel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * Works out the {@link ModelSpec} of a recipe by building it once in a scratch graph and reading the static
 * shapes TensorFlow infers. This also proves, at load time, that every node can be rebuilt.
 */
final class SpecProbe {
  static final String FORMAT = "savedmodel";
  /** Bound on the input's height, width and channels: ABS scans image classifiers, not gigapixel maps. */
  static final int MAX_INPUT_DIM = 4096;

  private SpecProbe() {}

  static ModelSpec spec(GraphRecipe recipe, Optional<SignatureDef> signature) {
    InputSpec input = inputSpec(recipe, signature);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      long[] shape = input.shape(-1);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
      ModelGraph built = new GraphRebuilder(recipe).build(tf, x, Map.of());
      int channelLast = input.layout() == InputSpec.Layout.NHWC ? 1 : 0;
      List<LayerSpec> layers = new ArrayList<>();
      for (Map.Entry<String, String> e : recipe.layerTensors().entrySet()) {
        long[] dims = withoutBatch(e.getKey(), built.layer(e.getKey()).shape());
        int channelAxis = dims.length == 3 && channelLast == 1 ? 2 : dims.length == 3 ? 0 : dims.length - 1;
        layers.add(new LayerSpec(e.getKey(), recipe.layerKinds().get(e.getKey()), dims, channelAxis, true));
      }
      long[] logits = withoutBatch(recipe.logitsTensor(), built.logits().shape());
      if (logits.length != 1) {
        throw new AbscanException(
            ErrorCategory.UNSUPPORTED_MODEL,
            "the logits " + recipe.logitsTensor() + " have shape " + Arrays.toString(logits)
                + " per image; expected one score per label",
            List.of(new Violation(recipe.logitsTensor(), "logits of rank " + (logits.length + 1))));
      }
      return new ModelSpec(
          FORMAT, input, layers, recipe.logitsTensor(), (int) logits[0], parameterCount(recipe));
    }
  }

  private static long[] withoutBatch(String name, Shape shape) {
    if (shape.isUnknown() || shape.numDimensions() < 2) {
      throw new AbscanException(
          ErrorCategory.UNSUPPORTED_MODEL,
          "cannot infer a batched shape for " + name + ": " + shape,
          List.of(new Violation(name, "shape " + shape)));
    }
    long[] dims = Arrays.copyOfRange(shape.asArray(), 1, shape.numDimensions());
    for (long d : dims) {
      if (d <= 0) {
        throw new AbscanException(
            ErrorCategory.UNSUPPORTED_MODEL,
            "the shape of " + name + " is not static: " + shape,
            List.of(new Violation(name, "shape " + shape)));
      }
    }
    return dims;
  }

  private static InputSpec inputSpec(GraphRecipe recipe, Optional<SignatureDef> signature) {
    NodeDef input =
        recipe.nodes().stream().filter(n -> n.getName().equals(recipe.inputNode())).findFirst().orElseThrow();
    TensorShapeProto shape = input.getAttrOrDefault("shape", AttrValue.getDefaultInstance()).getShape();
    if ((shape.getUnknownRank() || shape.getDimCount() == 0) && signature.isPresent()) {
      shape =
          signature.get().getInputsMap().values().stream()
              .filter(i -> GraphNodes.nodeName(i.getName()).equals(recipe.inputNode()))
              .map(i -> i.getTensorShape())
              .findFirst()
              .orElse(shape);
    }
    // The sizes become ints of the InputSpec: beyond the bound a cast would wrap (found by fuzzing: 2^31 became
    // -2^31 and InputSpec threw IllegalArgumentException instead of a refusal naming the input).
    if (shape.getDimCount() != 4
        || shape.getDimList().stream().skip(1).anyMatch(d -> d.getSize() <= 0 || d.getSize() > MAX_INPUT_DIM)) {
      throw new AbscanException(
          ErrorCategory.UNSUPPORTED_MODEL,
          "the input " + recipe.inputNode() + " must be a 4-D image batch with known height, width and "
              + "channels of at most " + MAX_INPUT_DIM + "; its shape is "
              + shape.getDimList().stream().map(d -> d.getSize()).toList(),
          List.of(new Violation(recipe.inputNode(), "input shape not [batch, h, w, c]")));
    }
    boolean nchw =
        recipe.nodes().stream()
            .map(n -> n.getAttrOrDefault("data_format", AttrValue.getDefaultInstance()).getS().toStringUtf8())
            .anyMatch(f -> f.equals("NCHW"));
    long a = shape.getDim(1).getSize();
    long b = shape.getDim(2).getSize();
    long c = shape.getDim(3).getSize();
    return nchw
        ? new InputSpec(recipe.inputNode(), (int) b, (int) c, (int) a, InputSpec.Layout.NCHW)
        : new InputSpec(recipe.inputNode(), (int) a, (int) b, (int) c, InputSpec.Layout.NHWC);
  }

  /** Float weights: frozen variables and float constants of rank 1 or more. */
  private static long parameterCount(GraphRecipe recipe) {
    long count = 0;
    for (TensorProto t : recipe.frozen().values()) {
      count = saturatedAdd(count, elements(t));
    }
    for (NodeDef node : recipe.nodes()) {
      if (node.getOp().equals("Const") && !recipe.frozen().containsKey(node.getName())) {
        TensorProto t = node.getAttrOrDefault("value", AttrValue.getDefaultInstance()).getTensor();
        if (t.getDtype() == DataType.DT_FLOAT && t.getTensorShape().getDimCount() > 0) {
          count = saturatedAdd(count, elements(t));
        }
      }
    }
    return count;
  }

  private static long saturatedAdd(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  private static long elements(TensorProto t) {
    // Saturating: the shape is the file's claim, and a product that overflows must not turn negative.
    long n = 1;
    for (TensorShapeProto.Dim d : t.getTensorShape().getDimList()) {
      long size = Math.max(d.getSize(), 0);
      n = size != 0 && n > Long.MAX_VALUE / size ? Long.MAX_VALUE : n * size;
    }
    return n;
  }
}
