package org.abscan.plugins.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelSpec;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A loaded ONNX model. Loading builds it once into a scratch graph on a [-1, C, H, W] placeholder: that build
 * folds the shape subgraphs (kept, so later builds skip them) and yields every layer's static shape for the
 * spec. Input: NCHW as in the ONNX file. Layers: rank-4 ones NHWC ([H, W, C], channel axis 2), others as in
 * ONNX (channel axis 0).
 */
final class OnnxLoadedModel implements LoadedModel {
  private static final Logger LOG = LogManager.getLogger(OnnxLoadedModel.class);

  private final ModelSpec spec;
  private final GraphBuilder builder;
  private final WeightCache weights = new WeightCache();

  OnnxLoadedModel(OnnxModel model, LayerPlanner.Plan plan) {
    GraphBuilder.Result probe;
    List<LayerSpec> layers = new ArrayList<>();
    int labels;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      InputSpec in = model.input();
      Operand<TFloat32> input = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, in.channels(), in.height(), in.width())));
      probe = new GraphBuilder(model, plan, Map.of(), new WeightCache())
          .build(tf, input, Map.of(), ErrorCategory.MALFORMED_MODEL);
      for (LayerPlanner.LayerDef layer : plan.layers()) {
        long[] shape = withoutBatch(layer.name(), probe.layers().get(layer.name()));
        int channelAxis = shape.length == 3 ? 2 : 0;
        layers.add(new LayerSpec(layer.name(), layer.kind(), shape, channelAxis, layer.candidate()));
      }
      labels = (int) withoutBatch(plan.logitsTensor(), probe.logits())[0];
    }
    String logitsName = plan.layers().stream().filter(l -> l.tensor().equals(plan.logitsTensor()))
        .findFirst().orElseThrow().name();
    this.spec = new ModelSpec(OnnxLoaderFactory.NAME, model.input(), layers, logitsName, labels,
        model.parameterCount());
    this.builder = new GraphBuilder(model, plan, Map.copyOf(probe.folded()), weights);
    LOG.debug("ONNX model (opset {}): {} layers, {} labels, {} shape values folded", model.opset(),
        layers.size(), labels, probe.folded().size());
  }

  private static long[] withoutBatch(String name, Operand<TFloat32> operand) {
    long[] shape = operand.shape().asArray();
    if (shape == null || shape.length < 2) {
      throw OnnxErrors.unsupported(name, "expected a batch of tensors, got shape " + Arrays.toString(shape));
    }
    long[] rest = Arrays.copyOfRange(shape, 1, shape.length);
    for (long d : rest) {
      if (d < 0) {
        throw OnnxErrors.unsupported(name, "shape " + Arrays.toString(shape) + " is not static");
      }
    }
    return rest;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public ModelGraph build(Ops tf, Operand<TFloat32> input, Map<String, Operand<TFloat32>> overrides) {
    checkInput(input);
    checkOverrides(overrides);
    GraphBuilder.Result result = builder.build(tf, input, overrides, ErrorCategory.INVALID_ARGUMENT);
    return new ModelGraph(result.layers(), result.logits());
  }

  private void checkInput(Operand<TFloat32> input) {
    long[] expected = spec.input().shape(-1);
    long[] actual = input.shape().asArray();
    if (!compatible(expected, actual)) {
      throw OnnxErrors.invalid("input", "the model takes NCHW input " + Arrays.toString(expected)
          + ", got " + Arrays.toString(actual));
    }
  }

  private void checkOverrides(Map<String, Operand<TFloat32>> overrides) {
    List<Violation> violations = new ArrayList<>();
    for (Map.Entry<String, Operand<TFloat32>> e : overrides.entrySet()) {
      LayerSpec layer = spec.layer(e.getKey()).orElse(null);
      if (layer == null) {
        violations.add(new Violation("overrides." + e.getKey(), "the model has no such layer"));
        continue;
      }
      long[] expected = new long[layer.shape().length + 1];
      expected[0] = -1;
      System.arraycopy(layer.shape(), 0, expected, 1, layer.shape().length);
      long[] actual = e.getValue().shape().asArray();
      if (!compatible(expected, actual)) {
        violations.add(new Violation("overrides." + e.getKey(), "expected shape " + Arrays.toString(expected)
            + ", got " + Arrays.toString(actual)));
      }
    }
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid layer overrides", violations);
    }
  }

  /** Same rank, and equal wherever both sides know the size (-1: any). */
  private static boolean compatible(long[] expected, long[] actual) {
    if (actual == null || actual.length != expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] >= 0 && actual[i] >= 0 && expected[i] != actual[i]) {
        return false;
      }
    }
    return true;
  }
}
