package org.abscan.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.Plugin;
import org.abscan.spi.PluginContext;
import org.abscan.spi.model.InputSpec;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelGraph;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.model.ModelSpec;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerApplierFactory;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A built-in test plugin (registered in src/test/resources/META-INF/services) with a loader for a tiny text
 * "model" format, so server tests need neither TensorFlow nor the real loaders. A model file is
 * {@value #MAGIC} followed by properties: height, width, channels, labels, and optionally refuse=op1,op2 to
 * make the loader refuse it (MODEL_REFUSED, one violation per op).
 *
 * <p>Chaos for the worker-process tests, honoured only by this test plugin: {@code behave=hang} makes the loader
 * spin forever without checking cancellation (a model that never ends), {@code behave=halt:N} makes it end the
 * JVM at once with exit code N (a model that aborts the process).
 */
public final class TestModelPlugin implements Plugin {
  public static final String FORMAT = "test-model";
  public static final String MAGIC = "ABSCAN-TEST-MODEL\n";

  public static byte[] model(int height, int width, int channels, int labels, String... refusedOps) {
    String text = MAGIC + "height=" + height + "\nwidth=" + width + "\nchannels=" + channels + "\nlabels="
        + labels + "\n" + (refusedOps.length == 0 ? "" : "refuse=" + String.join(",", refusedOps) + "\n");
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A model whose loading misbehaves: "hang" or "halt:N" (see the class comment). */
  public static byte[] misbehaving(String behaviour) {
    return (MAGIC + "height=28\nwidth=28\nchannels=1\nlabels=10\nbehave=" + behaviour + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A trigger name the plugin offers; the fake engine never asks for its applier. */
  public static final String TRIGGER = "test-trigger";

  @Override
  public Iterable<TriggerApplierFactory> getTriggerApplierFactories() {
    return List.of(new TriggerApplierFactory() {
      @Override
      public String name() {
        return TRIGGER;
      }

      @Override
      public TriggerApplier create(Map<String, String> config, PluginContext context) {
        throw new UnsupportedOperationException("server tests use a fake engine");
      }
    });
  }

  @Override
  public Iterable<ModelLoaderFactory> getModelLoaderFactories() {
    return List.of(new ModelLoaderFactory() {
      @Override
      public String name() {
        return FORMAT;
      }

      @Override
      public String description() {
        return "test models for server tests";
      }

      @Override
      public ModelLoader create(Map<String, String> config, PluginContext context) {
        return new Loader();
      }
    });
  }

  private static void misbehave(String behaviour) {
    if (behaviour.equals("hang")) {
      while (true) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          // A hostile model does not stop when asked.
        }
      }
    }
    if (behaviour.startsWith("halt:")) {
      Runtime.getRuntime().halt(Integer.parseInt(behaviour.substring(5)));
    }
  }

  private static final class Loader implements ModelLoader {
    @Override
    public boolean accepts(Path model) throws IOException {
      if (!Files.isRegularFile(model)) {
        return false;
      }
      try (InputStream in = Files.newInputStream(model)) {
        byte[] head = in.readNBytes(MAGIC.length());
        return Arrays.equals(head, MAGIC.getBytes(StandardCharsets.UTF_8));
      }
    }

    @Override
    public LoadedModel load(Path model, LoadOptions options) throws IOException {
      if (!accepts(model)) {
        throw new AbscanException(ErrorCategory.MALFORMED_MODEL, "not a test model: " + model.getFileName());
      }
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(model)) {
        p.load(in);
      }
      misbehave(p.getProperty("behave", ""));
      if (p.containsKey("refuse")) {
        List<AbscanException.Violation> violations = new ArrayList<>();
        for (String op : p.getProperty("refuse").split(",")) {
          violations.add(new AbscanException.Violation(op, "op " + op + " is not allowed"));
        }
        throw new AbscanException(ErrorCategory.MODEL_REFUSED, "model uses disallowed ops", violations);
      }
      int h = Integer.parseInt(p.getProperty("height"));
      int w = Integer.parseInt(p.getProperty("width"));
      int c = Integer.parseInt(p.getProperty("channels"));
      int labels = Integer.parseInt(p.getProperty("labels"));
      ModelSpec spec = new ModelSpec(FORMAT, new InputSpec("input", h, w, c, InputSpec.Layout.NHWC),
          List.of(new LayerSpec("conv1", "Conv2D/relu", new long[] {h, w, 4}, 2, true),
              new LayerSpec("logits", "Dense", new long[] {labels}, 0, false)),
          "logits", labels, 42);
      return new LoadedModel() {
        @Override
        public ModelSpec spec() {
          return spec;
        }

        @Override
        public ModelGraph build(Ops tf, Operand<TFloat32> input, Map<String, Operand<TFloat32>> overrides) {
          throw new UnsupportedOperationException("test models have no graph");
        }
      };
    }
  }
}
