package org.abscan.plugins.onnx;

import java.util.HashSet;
import java.util.Set;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorProto.DataType;

/** Which ONNX ops the loader builds, and the converter for each op on activations. */
final class OpConverters {
  /** Ops that run on activations in the TensorFlow graph. */
  static final Set<String> TENSOR_OPS = Set.of(
      "Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip",
      "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization", "Flatten", "Reshape",
      "Pad", "Concat", "Dropout", "Identity", "Softmax", "LogSoftmax", "Transpose", "Cast", "Slice");

  /** Everything the loader accepts: activation ops, constant-only (shape) ops, Constant. */
  static final Set<String> SUPPORTED;

  static {
    Set<String> all = new HashSet<>(TENSOR_OPS);
    all.addAll(ConstantFolder.FOLDABLE);
    all.add("Constant");
    SUPPORTED = Set.copyOf(all);
  }

  private OpConverters() {}

  static Value.Tensor convert(NodeInputs in) {
    String op = in.node().getOpType();
    return switch (op) {
      case "Conv" -> ConvOps.conv(in);
      case "ConvTranspose" -> ConvTransposeOp.convTranspose(in);
      case "Gemm" -> LinearOps.gemm(in);
      case "MatMul" -> LinearOps.matMul(in);
      case "BatchNormalization" -> LinearOps.batchNorm(in);
      case "Add", "Sub", "Mul", "Div" -> ElementwiseOps.arithmetic(in);
      case "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "Identity", "Dropout" -> ElementwiseOps.activation(in);
      case "Cast" -> {
        long to = in.attrs().getInt("to", DataType.FLOAT_VALUE);
        if (to != DataType.FLOAT_VALUE) {
          throw in.unsupported("Cast of an activation to " + DataType.forNumber((int) to));
        }
        yield ElementwiseOps.activation(in);
      }
      case "MaxPool" -> PoolOps.maxPool(in);
      case "AveragePool" -> PoolOps.averagePool(in);
      case "GlobalAveragePool" -> PoolOps.global(in, false);
      case "GlobalMaxPool" -> PoolOps.global(in, true);
      case "Flatten" -> ShapeOps.flatten(in);
      case "Reshape" -> ShapeOps.reshape(in);
      case "Transpose" -> ShapeOps.transpose(in);
      case "Concat" -> ShapeOps.concat(in);
      case "Slice" -> ShapeOps.slice(in);
      case "Pad" -> ShapeOps.pad(in);
      case "Softmax" -> ShapeOps.softmax(in, false);
      case "LogSoftmax" -> ShapeOps.softmax(in, true);
      default -> throw in.unsupported(op + " is only supported on constants (shape computations), "
          + "but here it is applied to an activation");
    };
  }
}
