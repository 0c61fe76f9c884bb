package org.abscan.plugins.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abscan.plugins.onnx.proto.OnnxProto.AttributeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.AttributeProto.AttributeType;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorProto;

/** Typed access to a node's attributes, with ONNX's defaults and errors naming the node and attribute. */
final class NodeAttributes {
  private final NodeProto node;
  private final Map<String, AttributeProto> byName = new HashMap<>();

  NodeAttributes(NodeProto node) {
    this.node = node;
    for (AttributeProto attribute : node.getAttributeList()) {
      byName.put(attribute.getName(), attribute);
    }
  }

  boolean has(String name) {
    return byName.containsKey(name);
  }

  long getInt(String name, long fallback) {
    AttributeProto a = byName.get(name);
    if (a == null) {
      return fallback;
    }
    require(a, AttributeType.INT);
    return a.getI();
  }

  float getFloat(String name, float fallback) {
    AttributeProto a = byName.get(name);
    if (a == null) {
      return fallback;
    }
    require(a, AttributeType.FLOAT);
    return a.getF();
  }

  String getString(String name, String fallback) {
    AttributeProto a = byName.get(name);
    if (a == null) {
      return fallback;
    }
    require(a, AttributeType.STRING);
    return a.getS().toStringUtf8();
  }

  /** The ints, or {@code fallback} (may be null) when absent. */
  long[] getInts(String name, long[] fallback) {
    AttributeProto a = byName.get(name);
    if (a == null) {
      return fallback;
    }
    require(a, AttributeType.INTS);
    List<Long> values = a.getIntsList();
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  float[] getFloats(String name) {
    AttributeProto a = byName.get(name);
    require(a, AttributeType.FLOATS);
    List<Float> values = a.getFloatsList();
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  TensorProto getTensor(String name) {
    AttributeProto a = byName.get(name);
    require(a, AttributeType.TENSOR);
    return a.getT();
  }

  private void require(AttributeProto a, AttributeType type) {
    if (a == null) {
      throw OnnxErrors.malformed(OnnxErrors.describe(node), "missing attribute of type " + type);
    }
    // Old exporters leave `type` unset; accept that when the payload of the expected kind is present.
    if (a.getType() != type && a.getType() != AttributeType.UNDEFINED) {
      throw OnnxErrors.malformed(OnnxErrors.describe(node),
          "attribute " + a.getName() + " is " + a.getType() + ", expected " + type);
    }
  }
}
