package org.abscan.plugins.keras;

import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the string attributes Keras writes. Their HDF5 encoding changed across Keras versions: Keras 2.2
 * wrote {@code model_config} as a fixed-length byte string and name lists as fixed-length byte-string arrays;
 * Keras 2.11 writes variable-length UTF-8 strings, and an empty name list as an empty float64 array. Lists too
 * big for one object header are split into {@code name0}, {@code name1}, ... attributes.
 */
final class H5Attributes {
  private H5Attributes() {}

  /** A scalar string attribute, or null when the node has none by that name. */
  static String string(Node node, String name) {
    Attribute attribute = node.getAttribute(name);
    if (attribute == null) {
      return null;
    }
    List<String> values = decode(attribute.getData(), node.getPath() + "@" + name);
    if (values.size() != 1) {
      throw KerasErrors.malformed(node.getPath() + "@" + name, "expected one string, found " + values.size());
    }
    return values.get(0);
  }

  /** A list of strings, possibly split over numbered chunk attributes; empty if absent. */
  static List<String> strings(Node node, String name) {
    Attribute whole = node.getAttribute(name);
    if (whole != null) {
      return decode(whole.getData(), node.getPath() + "@" + name);
    }
    List<String> values = new ArrayList<>();
    for (int chunk = 0; ; chunk++) {
      Attribute part = node.getAttribute(name + chunk);
      if (part == null) {
        return values;
      }
      values.addAll(decode(part.getData(), node.getPath() + "@" + name + chunk));
    }
  }

  /** Turns whatever jhdf returned for a string-ish attribute into Java strings. */
  static List<String> decode(Object data, String where) {
    List<String> values = new ArrayList<>();
    if (data == null) {
      return values;
    }
    if (data instanceof String s) {
      values.add(clean(s));
    } else if (data instanceof byte[] bytes) {
      values.add(clean(new String(bytes, StandardCharsets.UTF_8)));
    } else if (data.getClass().isArray()) {
      int length = Array.getLength(data);
      for (int i = 0; i < length; i++) {
        Object element = Array.get(data, i);
        if (element instanceof String || element instanceof byte[]) {
          values.addAll(decode(element, where));
        } else {
          // Keras writes an empty name list as an empty numeric array; anything else is not a name.
          throw KerasErrors.malformed(where, "expected strings, found " + element.getClass().getSimpleName());
        }
      }
    } else {
      throw KerasErrors.malformed(where, "expected a string attribute, found " + data.getClass().getSimpleName());
    }
    return values;
  }

  /** Fixed-length strings may keep their NUL padding. */
  private static String clean(String s) {
    int end = s.indexOf('\0');
    return end < 0 ? s : s.substring(0, end);
  }
}
