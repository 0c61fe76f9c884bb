package org.abscan.plugins.keras;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads of a layer's {@code config} object that fail as MALFORMED_MODEL naming the layer and field. */
final class LayerConfig {
  private final String layer;
  private final JsonNode config;

  LayerConfig(KerasLayer layer) {
    this.layer = layer.name();
    this.config = layer.config();
  }

  String layerName() {
    return layer;
  }

  JsonNode raw(String field) {
    return config.path(field);
  }

  String string(String field, String fallback) {
    JsonNode value = config.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw bad(field, "is not a string");
    }
    return value.asText();
  }

  boolean bool(String field, boolean fallback) {
    JsonNode value = config.path(field);
    return value.isBoolean() ? value.asBoolean() : fallback;
  }

  double number(String field, double fallback) {
    JsonNode value = config.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw bad(field, "is not a number");
    }
    return value.asDouble();
  }

  int integer(String field, int fallback) {
    JsonNode value = config.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToInt()) {
      throw bad(field, "is not an integer");
    }
    return value.asInt();
  }

  /** A positive pair such as kernel_size or strides, written as [a, b] or as a single number. */
  int[] pair(String field, int[] fallback) {
    JsonNode value = config.path(field);
    if (value.isMissingNode() || value.isNull()) {
      if (fallback == null) {
        throw bad(field, "missing");
      }
      return fallback.clone();
    }
    int[] pair = new int[2];
    if (value.canConvertToInt()) {
      pair[0] = pair[1] = value.asInt();
    } else if (value.isArray() && value.size() == 2 && value.get(0).canConvertToInt() && value.get(1).canConvertToInt()) {
      pair[0] = value.get(0).asInt();
      pair[1] = value.get(1).asInt();
    } else {
      throw bad(field, "is not a pair of integers: " + value);
    }
    if (pair[0] <= 0 || pair[1] <= 0 || pair[0] > 1 << 16 || pair[1] > 1 << 16) {
      throw bad(field, "out of range: " + value);
    }
    return pair;
  }

  /** "valid" or "same" (lower-cased as Keras does), as TensorFlow spells it. */
  String padding() {
    String padding = string("padding", "valid").toLowerCase(java.util.Locale.ROOT);
    return switch (padding) {
      case "valid" -> "VALID";
      case "same" -> "SAME";
      default -> throw KerasErrors.unsupported(layer, "padding '" + padding + "'");
    };
  }

  /** Only channels_last is built; channels_first would need transposes the NHWC contract does not have. */
  void requireChannelsLast() {
    String format = string("data_format", "channels_last");
    if (!format.equals("channels_last")) {
      throw KerasErrors.unsupported(layer, "data_format " + format + " (channels_last supported)");
    }
  }

  org.abscan.spi.AbscanException unsupported(String what) {
    return KerasErrors.unsupported(layer, what);
  }

  org.abscan.spi.AbscanException malformed(String what) {
    return KerasErrors.malformed("layer " + layer, what);
  }

  org.abscan.spi.AbscanException bad(String field, String problem) {
    return KerasErrors.malformed("layer " + layer + " config." + field, problem);
  }
}
