package org.abscan.plugins.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhdf.HdfFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.junit.jupiter.api.Test;

/** Both string encodings Keras has used: 2.2's fixed-length bytes and 2.11's variable-length UTF-8. */
class H5AttributesTest {

  @Test
  void decodesEveryShapeJhdfReturnsForStrings() {
    assertEquals(List.of("conv2d"), H5Attributes.decode("conv2d", "a"));
    assertEquals(List.of("conv2d"), H5Attributes.decode("conv2d\0\0".getBytes(StandardCharsets.UTF_8), "a"));
    assertEquals(List.of("a", "bb"), H5Attributes.decode(new String[] {"a\0\0", "bb"}, "a"));
    assertEquals(List.of("a", "b"), H5Attributes.decode(new Object[] {"a".getBytes(StandardCharsets.UTF_8), "b"}, "a"));
    // Keras writes an empty weight_names list as an empty float64 array.
    assertEquals(List.of(), H5Attributes.decode(new double[0], "a"));
    AbscanException e = assertThrows(AbscanException.class, () -> H5Attributes.decode(new double[] {1.0}, "x@w"));
    assertEquals(ErrorCategory.MALFORMED_MODEL, e.category());
    assertEquals("x@w", e.violations().get(0).subject());
  }

  @Test
  void keras211FileUsesVariableLengthStrings() {
    try (HdfFile file = new HdfFile(Fixtures.path("seq_bn_pool.h5"))) {
      assertEquals(String.class, file.getAttribute("model_config").getJavaType());
      assertEquals(true, H5Attributes.string(file, "model_config").startsWith("{\"class_name\": \"Sequential\""));
      var weights = (io.jhdf.api.Group) file.getChild("model_weights");
      assertEquals(List.of("conv_a", "bn_a", "max_pool", "conv_b", "relu_b", "avg_pool", "flatten", "dropout",
          "dense_a", "leaky_a", "logits"), H5Attributes.strings(weights, "layer_names"));
      assertEquals(List.of(), H5Attributes.strings(weights.getChild("flatten"), "weight_names"));
    }
  }

  @Test
  void keras22FileUsesFixedLengthBytesAndChunkedNames() {
    try (HdfFile file = new HdfFile(Fixtures.path("keras22_style.h5"))) {
      var weights = (io.jhdf.api.Group) file.getChild("model_weights");
      assertEquals(null, weights.getAttribute("layer_names"), "the fixture splits layer_names into chunks");
      assertEquals(List.of("conv_a", "bn_a", "max_pool", "conv_b", "relu_b", "avg_pool", "flatten", "dropout",
          "dense_a", "leaky_a", "logits"), H5Attributes.strings(weights, "layer_names"));
      assertEquals(List.of("bn_a/gamma:0", "bn_a/beta:0", "bn_a/moving_mean:0", "bn_a/moving_variance:0"),
          H5Attributes.strings(weights.getChild("bn_a"), "weight_names"));
      String config = H5Attributes.string(file, "model_config");
      assertEquals(true, config.contains("\"config\": [{\"class_name\": \"InputLayer\""), config.substring(0, 80));
    }
  }
}
