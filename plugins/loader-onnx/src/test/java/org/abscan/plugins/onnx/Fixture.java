package org.abscan.plugins.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model written by bench/fixtures/onnx/make_onnx_fixtures.py and its PyTorch reference: an input batch
 * (NCHW), the module's pre-softmax logits for it, and one conv node's output (NCHW).
 */
record Fixture(String name, Path model, boolean fixedBatch, long[] inputShape, float[] input, long[] logitsShape,
    float[] logits, List<Probe> probes, List<String> ops) {

  /** A conv node's output as PyTorch computed it (NCHW). */
  record Probe(String node, long[] shapeNchw, float[] values) {
    /** The values rearranged to NHWC, the layout the loader exposes rank-4 layers in. */
    float[] nhwc() {
      int n = (int) shapeNchw[0];
      int c = (int) shapeNchw[1];
      int h = (int) shapeNchw[2];
      int w = (int) shapeNchw[3];
      float[] out = new float[values.length];
      for (int b = 0; b < n; b++) {
        for (int k = 0; k < c; k++) {
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              out[((b * h + y) * w + x) * c + k] = values[((b * c + k) * h + y) * w + x];
            }
          }
        }
      }
      return out;
    }
  }

  static final List<String> NAMES = List.of(
      "cnn-op11", "cnn-op17", "bn-op11", "bn-op17", "residual-op11", "residual-op17", "fixed1-op11",
      "fixed1-op17", "ops-op11", "ops-op17");

  static Path resource(String file) {
    try {
      return Path.of(Fixture.class.getResource("/fixtures/" + file).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource fixtures/" + file, e);
    }
  }

  static Fixture load(String name) {
    try (InputStream in = Fixture.class.getResourceAsStream("/fixtures/" + name + ".json")) {
      JsonNode json = new ObjectMapper().readTree(in);
      List<Probe> probes = new ArrayList<>();
      json.get("layers").forEach(layer -> probes.add(new Probe(layer.get("node").asText(),
          longs(layer.get("shape_nchw")), floats(layer.get("values")))));
      List<String> ops = new ArrayList<>();
      json.get("ops").forEach(op -> ops.add(op.asText()));
      return new Fixture(name, resource(name + ".onnx"), json.get("fixed_batch").asBoolean(),
          longs(json.get("input_shape")), floats(json.get("input")), longs(json.get("logits_shape")),
          floats(json.get("logits")), probes, ops);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int batch() {
    return (int) inputShape[0];
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  @Override
  public String toString() {
    return name;
  }
}
