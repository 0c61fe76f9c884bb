package org.abscan.engine.stimulation;

import java.util.List;
import java.util.Random;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelSpec;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Skips the layers right after a stimulated layer that are affine in it (pooling, flatten, a conv or dense
 * pre-activation): if S is affine in the layer L, then S(L with neuron c set to v) = Z[img, c] + v * D[c] with
 * Z[img, c] = S(L of img with c set to 0) and D[c] = S(L with c set to 1) - S(L with c set to 0). Z and D come
 * from one pass of N * C rows through L -> S; every stimulated row then only runs the layers after S.
 *
 * <p>Which S: the furthest of the next few layers (in model order) whose outputs stay co-linear along
 * stimulation lines of a few neurons and images. The shortcut is then checked against the full path on random
 * rows and dropped if the logits differ (e.g. a skip connection bypasses S): it never changes results, only
 * speed.
 */
final class LinearShortcut implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(LinearShortcut.class);
  private static final int SUCCESSORS_TRIED = 4;
  /** Largest Z (images x neurons x |S| floats) worth holding. */
  private static final long MAX_Z_FLOATS = 24L << 20;
  private static final float COLINEAR = 1e-4f;
  private static final float AGREEMENT = 1e-4f;

  private final StimulationGraph.ShortcutPath path;
  private final TFloat32 z;
  private final TFloat32 d;
  private final int neurons;
  /** The layer base's seed images (it owns and closes them): the model input of rows with a skip connection. */
  private final TFloat32 seedImages;

  private LinearShortcut(
      StimulationGraph.ShortcutPath path, TFloat32 z, TFloat32 d, int neurons, TFloat32 seedImages) {
    this.path = path;
    this.z = z;
    this.d = d;
    this.neurons = neurons;
    this.seedImages = seedImages;
  }

  /** A verified shortcut for {@code base}, or null when there is none (the full path is used). */
  static LinearShortcut prepare(StimulationGraph graph, ModelSpec spec, LayerBase base, int rowsPerRun) {
    try {
      return tryPrepare(graph, spec, base, rowsPerRun);
    } catch (RuntimeException e) {
      // e.g. a layer the loader cannot rebuild after S: no shortcut, the full path is used.
      LOG.warn("layer {}: no linear shortcut ({})", base.spec().name(), e.toString());
      return null;
    }
  }

  private static LinearShortcut tryPrepare(
      StimulationGraph graph, ModelSpec spec, LayerBase base, int rowsPerRun) {
    LayerSpec layer = base.spec();
    int at = spec.layers().indexOf(layer);
    if (at < 0 || at + 1 >= spec.layers().size()) {
      return null;
    }
    List<LayerSpec> after = spec.layers().subList(at + 1,
        Math.min(spec.layers().size(), at + 1 + SUCCESSORS_TRIED));
    LayerSpec successor = furthestAffine(graph, base, after);
    if (successor == null) {
      return null;
    }
    long sizeS = 1;
    for (long dim : successor.shape()) {
      sizeS *= dim;
    }
    int n = base.images();
    int c = layer.neurons();
    if ((long) n * c * sizeS > MAX_Z_FLOATS) {
      return null;
    }
    Operand<TFloat32> sOut = graph.downstreamLayer(base, successor.name());
    float[] zData = new float[(int) (n * c * sizeS)];
    float[] dData = new float[(int) (c * sizeS)];
    // Z: every (image, neuron) at 0; then D from image 0 at 1 minus at 0.
    runAll(graph, base, sOut, n * c, r -> r / c, r -> r % c, r -> 0f, zData, rowsPerRun);
    runAll(graph, base, sOut, c, r -> 0, r -> r, r -> 1f, dData, rowsPerRun);
    for (int k = 0; k < c; k++) {
      for (int e = 0; e < sizeS; e++) {
        dData[(int) (k * sizeS + e)] -= zData[(int) (k * sizeS + e)];
      }
    }
    TFloat32 z = TFloat32.tensorOf(Shape.of(n * c, sizeS), DataBuffers.of(zData, true, false));
    TFloat32 d = TFloat32.tensorOf(Shape.of(c, sizeS), DataBuffers.of(dData, true, false));
    LinearShortcut shortcut = new LinearShortcut(graph.shortcutPath(layer.name(), successor), z, d, c,
        base.seedImages());
    boolean agrees;
    try {
      agrees = shortcut.agrees(graph, base);
    } catch (RuntimeException e) {
      shortcut.close();
      throw e;
    }
    if (!agrees) {
      LOG.warn("layer {}: the linear shortcut through {} disagrees with the full model; not used",
          layer.name(), successor.name());
      shortcut.close();
      return null;
    }
    LOG.debug("layer {}: stimulated rows start after {}", layer.name(), successor.name());
    return shortcut;
  }

  /** Logits of stimulated rows (see {@link StimulationGraph#runStimulated}). */
  float[] run(Session session, int[] imageIndex, int[] neuronIndex, float[] value, int rows) {
    int[] zIndex = new int[rows];
    for (int r = 0; r < rows; r++) {
      zIndex[r] = imageIndex[r] * neurons + neuronIndex[r];
    }
    try (TInt32 zi = TInt32.tensorOf(Shape.of(rows), DataBuffers.of(zIndex, true, false));
        TInt32 ii = TInt32.tensorOf(Shape.of(rows), DataBuffers.of(imageIndex, true, false).slice(0, rows));
        TInt32 ni = TInt32.tensorOf(Shape.of(rows), DataBuffers.of(neuronIndex, true, false).slice(0, rows));
        TFloat32 v = TFloat32.tensorOf(Shape.of(rows), DataBuffers.of(value, true, false).slice(0, rows));
        Result result = session.runner()
            .feed(path.z(), z)
            .feed(path.d(), d)
            .feed(path.zIndex(), zi)
            .feed(path.imageIndex(), ii)
            .feed(path.neuronIndex(), ni)
            .feed(path.value(), v)
            .feed(path.seedImages(), seedImages)
            .fetch(path.logits())
            .run()) {
      TFloat32 out = (TFloat32) result.get(0);
      float[] data = new float[(int) out.size()];
      out.asRawTensor().data().asFloats().read(data);
      return data;
    }
  }

  /** Compares shortcut and full-path logits on random rows, values well outside the observed range too. */
  private boolean agrees(StimulationGraph graph, LayerBase base) {
    Random random = new Random(base.spec().name().hashCode());
    int rows = 32;
    int[] images = new int[rows];
    int[] neurons = new int[rows];
    float[] values = new float[rows];
    float scale = Math.max(1e-3f, Math.abs(base.maxActivation()));
    for (int r = 0; r < rows; r++) {
      images[r] = random.nextInt(base.images());
      neurons[r] = random.nextInt(base.spec().neurons());
      values[r] = (random.nextFloat() * 12f - 2f) * scale;
    }
    float[] fast = run(graph.session(), images, neurons, values, rows);
    float[] full = graph.runGeneric(base, images, neurons, values, rows, graph.logitsOf(base));
    for (int i = 0; i < full.length; i++) {
      if (!(Math.abs(fast[i] - full[i]) <= AGREEMENT * (1f + Math.abs(full[i])))) {
        return false;
      }
    }
    return true;
  }

  /** The furthest of {@code after} up to which every layer is affine along stimulation lines, or null. */
  private static LayerSpec furthestAffine(StimulationGraph graph, LayerBase base, List<LayerSpec> after) {
    Random random = new Random(17);
    int pairs = 6;
    float scale = Math.max(1e-3f, Math.abs(base.maxActivation()));
    float[] probe = {-8f * scale, -1.1f * scale, 1.3f * scale, 8.7f * scale};
    int rows = pairs * probe.length;
    int[] images = new int[rows];
    int[] neurons = new int[rows];
    float[] values = new float[rows];
    for (int p = 0; p < pairs; p++) {
      int image = random.nextInt(base.images());
      int neuron = random.nextInt(base.spec().neurons());
      for (int k = 0; k < probe.length; k++) {
        images[p * probe.length + k] = image;
        neurons[p * probe.length + k] = neuron;
        values[p * probe.length + k] = probe[k];
      }
    }
    LayerSpec furthest = null;
    for (LayerSpec s : after) {
      float[] out = graph.runGeneric(base, images, neurons, values, rows, graph.downstreamLayer(base, s.name()));
      int size = out.length / rows;
      if (!colinear(out, size, pairs, probe)) {
        break;
      }
      furthest = s;
    }
    return furthest;
  }

  private static boolean colinear(float[] out, int size, int pairs, float[] probe) {
    int k = probe.length;
    for (int p = 0; p < pairs; p++) {
      for (int e = 0; e < size; e++) {
        float y0 = out[(p * k) * size + e];
        float y3 = out[(p * k + k - 1) * size + e];
        float mag = Math.max(Math.abs(y0), Math.abs(y3));
        for (int i = 1; i < k - 1; i++) {
          float t = (probe[i] - probe[0]) / (probe[k - 1] - probe[0]);
          float expected = y0 + t * (y3 - y0);
          float y = out[(p * k + i) * size + e];
          if (!(Math.abs(y - expected) <= COLINEAR * (1f + mag))) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private interface RowInt {
    int at(int row);
  }

  private interface RowFloat {
    float at(int row);
  }

  /** Runs {@code total} rows through the full path in batches, writing {@code fetch} row after row. */
  private static void runAll(StimulationGraph graph, LayerBase base, Operand<TFloat32> fetch, int total,
      RowInt image, RowInt neuron, RowFloat value, float[] into, int rowsPerRun) {
    int batch = Math.max(1, rowsPerRun);
    int[] images = new int[batch];
    int[] neurons = new int[batch];
    float[] values = new float[batch];
    int written = 0;
    for (int start = 0; start < total; start += batch) {
      int rows = Math.min(batch, total - start);
      for (int r = 0; r < rows; r++) {
        images[r] = image.at(start + r);
        neurons[r] = neuron.at(start + r);
        values[r] = value.at(start + r);
      }
      float[] out = graph.runGeneric(base, images, neurons, values, rows, fetch);
      System.arraycopy(out, 0, into, written, out.length);
      written += out.length;
    }
  }

  @Override
  public void close() {
    z.close();
    d.close();
  }
}
