package org.abscan.engine.stimulation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abscan.engine.SeedImages;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.graph.TensorFlowRuntime;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadedModel;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The TensorFlow side of stimulation analysis, built once per (model, layers) and reused for every batch.
 *
 * <p>A base path runs the model on the seed images and yields each layer's activations, which stay native and
 * are fed back as one tensor. Per layer, a stimulation path gathers rows of those activations by image index,
 * overwrites one neuron (a whole channel for conv layers) with a value through a one-hot channel mask, and
 * runs the layers after it ({@link LoadedModel#build} with an override). Java only sends three small vectors
 * (image index, neuron index, value) per batch and reads back the logits.
 */
public final class StimulationGraph implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloat32> images;
  private final Operand<TFloat32> baseLogits;
  private final Map<String, LayerPath> layers = new LinkedHashMap<>();
  private final InputSpec inputSpec;
  private final LoadedModel model;
  private final Ops ops;
  private final InputPreprocessor preprocessor;
  private final Map<String, ShortcutPath> shortcutPaths = new java.util.HashMap<>();
  private final Map<LayerBase, LinearShortcut> shortcuts = new java.util.IdentityHashMap<>();
  private int shortcutScopes;

  private record LayerPath(
      LayerSpec spec,
      Operand<TFloat32> activation,
      Operand<TFloat32> observed,
      Placeholder<TFloat32> base,
      Placeholder<TInt32> imageIndex,
      Placeholder<TInt32> neuronIndex,
      Placeholder<TFloat32> value,
      Placeholder<TFloat32> seedImages,
      Operand<TFloat32> logits,
      org.abscan.spi.model.ModelGraph downstream) {}

  /**
   * The layers after a successor S, fed with {@code z[zIndex] + value * d[neuron]} as S's output, and with each
   * row's seed image as the model input (for skip connections around S, as on the full path).
   */
  record ShortcutPath(
      String successor,
      Placeholder<TFloat32> z,
      Placeholder<TFloat32> d,
      Placeholder<TInt32> zIndex,
      Placeholder<TInt32> imageIndex,
      Placeholder<TInt32> neuronIndex,
      Placeholder<TFloat32> value,
      Placeholder<TFloat32> seedImages,
      Operand<TFloat32> logits) {}

  public StimulationGraph(
      LoadedModel model, InputPreprocessor preprocessor, List<LayerSpec> analysed, String device) {
    graph = new Graph();
    this.model = model;
    this.preprocessor = preprocessor;
    try {
      inputSpec = model.spec().input();
      Ops tf = TensorFlowRuntime.onDevice(Ops.create(graph), device);
      ops = tf;
      images = tf.withName("seed_images").placeholder(TFloat32.class, Placeholder.shape(
          Shape.of(-1, inputSpec.height(), inputSpec.width(), inputSpec.channels())));
      var seeds = model.build(tf.withSubScope("base"), preprocessor.toModelInput(tf, images), Map.of());
      baseLogits = seeds.logits();
      int index = 0;
      for (LayerSpec layer : analysed) {
        Operand<TFloat32> activation = seeds.layer(layer.name());
        layers.put(layer.name(),
            buildLayerPath(tf.withSubScope("stim" + index++), model, layer, activation));
      }
      session = new Session(graph, TensorFlowRuntime.sessionConfig(device));
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  private LayerPath buildLayerPath(Ops tf, LoadedModel model, LayerSpec layer, Operand<TFloat32> activation) {
    long[] shape = layer.shape();
    int rank = shape.length + 1;
    int channelDim = layer.channelAxis() + 1;
    int[] otherAxes = new int[rank - 2];
    for (int d = 1, k = 0; d < rank; d++) {
      if (d != channelDim) {
        otherAxes[k++] = d;
      }
    }
    // Per image and neuron, the neuron's activation (a conv channel's largest value in its feature map).
    // Identities keep fetched outputs distinct when a layer is itself the logits (or needs no reduction).
    Operand<TFloat32> observed = otherAxes.length == 0
        ? tf.identity(activation)
        : tf.reduceMax(activation, tf.constant(otherAxes));

    long[] batched = new long[rank];
    batched[0] = -1;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    Placeholder<TFloat32> base = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batched)));
    Placeholder<TInt32> imageIndex = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TInt32> neuronIndex = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));

    Operand<TFloat32> rows = tf.gather(base, imageIndex, tf.constant(0));
    int[] maskShape = new int[rank];
    int[] valueShape = new int[rank];
    java.util.Arrays.fill(maskShape, 1);
    java.util.Arrays.fill(valueShape, 1);
    maskShape[0] = -1;
    valueShape[0] = -1;
    maskShape[channelDim] = layer.neurons();
    Operand<TFloat32> mask = tf.reshape(
        tf.oneHot(neuronIndex, tf.constant(layer.neurons()), tf.constant(1f), tf.constant(0f)),
        tf.constant(maskShape));
    Operand<TFloat32> values = tf.reshape(value, tf.constant(valueShape));
    // rows + mask * (value - rows): the masked neuron takes the value, every other neuron keeps its own.
    Operand<TFloat32> stimulated = tf.math.add(rows, tf.math.mul(mask, tf.math.sub(values, rows)));

    // The override makes the loader build only what follows the layer. The model input is each row's own
    // seed image: a plain chain never reads it (TensorFlow prunes the unused prefix), but a skip connection
    // around the layer (a residual block's Add) still needs the block input, recomputed from the image.
    Placeholder<TFloat32> seedImages = seedImagesPlaceholder(tf);
    var downstream = model.build(tf, rowImages(tf, seedImages, imageIndex), Map.of(layer.name(), stimulated));
    return new LayerPath(layer, tf.identity(activation), observed, base, imageIndex, neuronIndex, value,
        seedImages, downstream.logits(), downstream);
  }

  private Placeholder<TFloat32> seedImagesPlaceholder(Ops tf) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(inputSpec.shape(-1))));
  }

  /** Each stimulated row's own seed image, preprocessed: the model input of the layers after the override. */
  private Operand<TFloat32> rowImages(Ops tf, Placeholder<TFloat32> seedImages, Operand<TInt32> imageIndex) {
    return preprocessor.toModelInput(tf, tf.gather(seedImages, imageIndex, tf.constant(0)));
  }

  /** One session run of the seed images: base logits, and the layer's activations and observed values. */
  public LayerBase runBase(String layer, SeedImages seeds) {
    LayerPath path = path(layer);
    TFloat32 input = TFloat32.tensorOf(
        Shape.of(seeds.count(), seeds.height(), seeds.width(), seeds.channels()),
        DataBuffers.of(seeds.pixels(), true, false));
    try (Result result = session.runner()
            .feed(images, input)
            .fetch(path.activation)
            .fetch(path.observed)
            .fetch(baseLogits)
            .run()) {
      TFloat32 activation = (TFloat32) result.get(0);
      TFloat32 observed = (TFloat32) result.get(1);
      TFloat32 logits = (TFloat32) result.get(2);
      int n = seeds.count();
      int neurons = path.spec.neurons();
      float[] obs = new float[n * neurons];
      observed.asRawTensor().data().asFloats().read(obs);
      float[] lg = new float[(int) logits.size()];
      logits.asRawTensor().data().asFloats().read(lg);
      // The activation tensor stays native: it is fed back unchanged for every stimulated batch. Detach it
      // from the Result (which closes what it holds) by copying into an owned tensor.
      TFloat32 kept = TFloat32.tensorOf(activation.shape());
      activation.asRawTensor().data().copyTo(kept.asRawTensor().data(), activation.numBytes());
      // The seed images stay too: the stimulated path reads them where a skip connection needs them.
      return new LayerBase(path.spec, kept, input, obs, lg, n, lg.length / n);
    } catch (RuntimeException e) {
      input.close();
      throw e;
    }
  }

  /**
   * Logits of stimulated rows: row r is image {@code imageIndex[r]} with neuron {@code neuronIndex[r]} set to
   * {@code value[r]}. Returns rows * numLabels values, row-major. Uses the layer's linear shortcut when one
   * is prepared for {@code base}.
   */
  public float[] runStimulated(
      LayerBase base, int[] imageIndex, int[] neuronIndex, float[] value, int rows) {
    LinearShortcut shortcut = shortcuts.get(base);
    if (shortcut != null) {
      return shortcut.run(session, imageIndex, neuronIndex, value, rows);
    }
    LayerPath path = path(base.spec().name());
    return runGeneric(base, imageIndex, neuronIndex, value, rows, path.logits);
  }

  /** Like {@link #runStimulated} through the full downstream model, fetching {@code fetch} (rows first). */
  float[] runGeneric(LayerBase base, int[] imageIndex, int[] neuronIndex, float[] value, int rows,
      Operand<TFloat32> fetch) {
    LayerPath path = path(base.spec().name());
    try (TInt32 images = TInt32.tensorOf(Shape.of(rows), DataBuffers.of(imageIndex, true, false).slice(0, rows));
        TInt32 neurons = TInt32.tensorOf(Shape.of(rows), DataBuffers.of(neuronIndex, true, false).slice(0, rows));
        TFloat32 values = TFloat32.tensorOf(Shape.of(rows), DataBuffers.of(value, true, false).slice(0, rows));
        Result result = session.runner()
            .feed(path.base, base.activations())
            .feed(path.imageIndex, images)
            .feed(path.neuronIndex, neurons)
            .feed(path.value, values)
            .feed(path.seedImages, base.seedImages())
            .fetch(fetch)
            .run()) {
      TFloat32 out = (TFloat32) result.get(0);
      float[] data = new float[(int) out.size()];
      out.asRawTensor().data().asFloats().read(data);
      return data;
    }
  }

  Operand<TFloat32> logitsOf(LayerBase base) {
    return path(base.spec().name()).logits;
  }

  /** The generic path's output of layer {@code name} (downstream of the stimulated layer). */
  Operand<TFloat32> downstreamLayer(LayerBase base, String name) {
    return path(base.spec().name()).downstream.layer(name);
  }

  /**
   * Tries to set up the linear shortcut for {@code base} (see {@link LinearShortcut}); afterwards
   * {@link #runStimulated} uses it until {@link #releaseShortcut}. Returns whether one is in use.
   */
  public boolean prepareShortcut(LayerBase base, int rowsPerRun) {
    LinearShortcut shortcut = LinearShortcut.prepare(this, model.spec(), base, rowsPerRun);
    if (shortcut != null) {
      shortcuts.put(base, shortcut);
    }
    return shortcut != null;
  }

  public void releaseShortcut(LayerBase base) {
    LinearShortcut shortcut = shortcuts.remove(base);
    if (shortcut != null) {
      shortcut.close();
    }
  }

  Session session() {
    return session;
  }

  /** Built on first use and kept: the layers after {@code successor}, fed through a shortcut. */
  ShortcutPath shortcutPath(String layer, org.abscan.spi.model.LayerSpec successor) {
    return shortcutPaths.computeIfAbsent(layer + " -> " + successor.name(), k -> {
      Ops tf = ops.withSubScope("shortcut" + shortcutScopes++);
      Placeholder<TFloat32> z = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
      Placeholder<TFloat32> d = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
      Placeholder<TInt32> zIndex = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TInt32> imageIndex = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TInt32> neuronIndex = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> flat = tf.math.add(tf.gather(z, zIndex, tf.constant(0)),
          tf.math.mul(tf.reshape(value, tf.constant(new int[] {-1, 1})),
              tf.gather(d, neuronIndex, tf.constant(0))));
      long[] shape = successor.shape();
      int[] batched = new int[shape.length + 1];
      batched[0] = -1;
      for (int i = 0; i < shape.length; i++) {
        batched[i + 1] = (int) shape[i];
      }
      Placeholder<TFloat32> seedImages = seedImagesPlaceholder(tf);
      Operand<TFloat32> logits = model.build(tf, rowImages(tf, seedImages, imageIndex),
          Map.of(successor.name(), tf.reshape(flat, tf.constant(batched)))).logits();
      return new ShortcutPath(successor.name(), z, d, zIndex, imageIndex, neuronIndex, value, seedImages,
          logits);
    });
  }

  private LayerPath path(String layer) {
    LayerPath path = layers.get(layer);
    if (path == null) {
      throw new IllegalArgumentException("layer " + layer + " was not built into this stimulation graph");
    }
    return path;
  }

  @Override
  public void close() {
    shortcuts.values().forEach(LinearShortcut::close);
    shortcuts.clear();
    session.close();
    graph.close();
  }
}
