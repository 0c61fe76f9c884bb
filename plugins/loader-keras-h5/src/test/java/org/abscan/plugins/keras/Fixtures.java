package org.abscan.plugins.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;

/** The fixtures bench/fixtures/keras/make_keras_fixtures.py wrote with the real Keras. */
final class Fixtures {
  private Fixtures() {}

  static Path path(String file) {
    URL url = Fixtures.class.getResource("/fixtures/" + file);
    if (url == null) {
      throw new IllegalStateException("test resource fixtures/" + file + " missing");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static LoadedModel load(String name) {
    try {
      return new KerasH5LoaderFactory().create(java.util.Map.of(), null).load(path(name + ".h5"), LoadOptions.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reference inputs and Keras's logits for them. */
  record Reference(long[] inputShape, float[] inputs, long[] logitsShape, float[] logits, long parameterCount) {
    static Reference of(String name) throws IOException {
      JsonNode json = new ObjectMapper().readTree(path(name + ".json").toFile());
      return new Reference(longs(json.get("input_shape")), floats(json.get("inputs")),
          longs(json.get("logits_shape")), floats(json.get("logits")), json.get("parameter_count").asLong());
    }

    private static long[] longs(JsonNode array) {
      long[] values = new long[array.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = array.get(i).asLong();
      }
      return values;
    }

    private static float[] floats(JsonNode array) {
      float[] values = new float[array.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) array.get(i).asDouble();
      }
      return values;
    }
  }
}
