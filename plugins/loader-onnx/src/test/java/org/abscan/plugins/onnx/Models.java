package org.abscan.plugins.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.abscan.plugins.onnx.proto.OnnxProto.AttributeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.AttributeProto.AttributeType;
import org.abscan.plugins.onnx.proto.OnnxProto.GraphProto;
import org.abscan.plugins.onnx.proto.OnnxProto.ModelProto;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorShapeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TypeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.ValueInfoProto;

/** Hand-built ONNX models for error cases and ops the PyTorch fixtures do not reach. */
final class Models {
  private Models() {}

  /** A graph with input "x" [N, c, h, w] (N symbolic), output "y", at {@code opset}. */
  static GraphProto.Builder graph(int c, int h, int w) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
    for (int d : new int[] {c, h, w}) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return GraphProto.newBuilder().setName("test")
        .addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(
            TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))))
        .addOutput(ValueInfoProto.newBuilder().setName("y"));
  }

  static ModelProto model(GraphProto.Builder graph, int opset) {
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("abscan-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(graph).build();
  }

  static NodeProto.Builder node(String op, String name, String[] inputs, String... outputs) {
    return NodeProto.newBuilder().setOpType(op).setName(name)
        .addAllInput(Arrays.asList(inputs)).addAllOutput(Arrays.asList(outputs));
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
  }

  static AttributeProto stringAttr(String name, String value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
        .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
  }

  static TensorProto floats(String name, long[] dims, float... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    return t.build();
  }

  static TensorProto longs(String name, long... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
        .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    return t.build();
  }

  /** Ascending values 0, 0.01, 0.02... so every weight differs. */
  static float[] ramp(int count, float step) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = (i % 17 - 8) * step;
    }
    return out;
  }

  static Path write(Path dir, String name, ModelProto model) {
    try {
      Path file = dir.resolve(name + ".onnx");
      Files.write(file, model.toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
