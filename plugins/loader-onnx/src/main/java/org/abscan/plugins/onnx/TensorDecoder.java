package org.abscan.plugins.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorProto.DataType;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/**
 * Turns a TensorProto (initializer or Constant value) into a {@link ConstTensor}. The file is untrusted: the
 * element count comes from the dims and is checked against the byte budget before anything is allocated, and
 * the stored data must hold exactly that many elements.
 */
final class TensorDecoder {
  private long budgetBytes;

  /** @param budgetBytes how many bytes all decoded tensors together may take (LoadOptions.maxModelBytes) */
  TensorDecoder(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** @param where what the tensor is, for error messages ("initializer conv1.weight") */
  ConstTensor decode(TensorProto tensor, String where) {
    if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL || tensor.getExternalDataCount() > 0) {
      throw OnnxErrors.unsupported(where, "weights are stored in external data files, which this loader does "
          + "not read; re-export the model with its weights inside the .onnx file (save_as_external_data=False)");
    }
    long[] shape = new long[tensor.getDimsCount()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = tensor.getDims(i);
      if (shape[i] < 0) {
        throw OnnxErrors.malformed(where, "negative dimension " + shape[i]);
      }
      try {
        count = Math.multiplyExact(count, shape[i]);
      } catch (ArithmeticException e) {
        throw limit(where, Long.MAX_VALUE);
      }
    }
    DataType type = tensor.getDataType() == DataType.UNDEFINED_VALUE
        ? null : DataType.forNumber(tensor.getDataType());
    if (type == null) {
      throw OnnxErrors.unsupported(where, "tensor data type " + tensor.getDataType() + " is not supported");
    }
    boolean isFloat = type == DataType.FLOAT || type == DataType.DOUBLE || type == DataType.FLOAT16;
    long bytes = count > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : count * (isFloat ? 4 : 8);
    if (count > Integer.MAX_VALUE - 8 || bytes > budgetBytes) {
      throw limit(where, bytes);
    }
    budgetBytes -= bytes;
    int n = (int) count;
    ByteString raw = tensor.getRawData();
    boolean hasRaw = tensor.hasRawData();
    return switch (type) {
      case FLOAT -> ConstTensor.ofFloats(shape, hasRaw
          ? floats(raw, n, where) : floatList(tensor.getFloatDataList(), n, where));
      case DOUBLE -> ConstTensor.ofFloats(shape, hasRaw
          ? doublesAsFloats(raw, n, where) : doubleList(tensor.getDoubleDataList(), n, where));
      case FLOAT16 -> ConstTensor.ofFloats(shape, halves(hasRaw ? raw : null, tensor.getInt32DataList(), n, where));
      case INT64 -> ConstTensor.ofLongs(shape, hasRaw
          ? integers(raw, n, 8, true, where) : longList(tensor.getInt64DataList(), n, where));
      case UINT64, UINT32 -> ConstTensor.ofLongs(shape, hasRaw
          ? integers(raw, n, type == DataType.UINT64 ? 8 : 4, false, where)
          : longList(tensor.getUint64DataList(), n, where));
      case INT32 -> ConstTensor.ofLongs(shape, hasRaw
          ? integers(raw, n, 4, true, where) : intList(tensor.getInt32DataList(), n, where));
      case INT16, UINT16 -> ConstTensor.ofLongs(shape, hasRaw
          ? integers(raw, n, 2, type == DataType.INT16, where) : intList(tensor.getInt32DataList(), n, where));
      case INT8, UINT8, BOOL -> ConstTensor.ofLongs(shape, hasRaw
          ? integers(raw, n, 1, type == DataType.INT8, where) : intList(tensor.getInt32DataList(), n, where));
      default -> throw OnnxErrors.unsupported(where, "tensor data type " + type + " is not supported");
    };
  }

  private static AbscanException limit(String where, long bytes) {
    return new AbscanException(ErrorCategory.LIMIT_EXCEEDED, where + " needs " + bytes
        + " bytes, more than the model size limit allows",
        List.of(new AbscanException.Violation(where, "tensor too large")));
  }

  private static ByteBuffer checked(ByteString raw, long expected, String where) {
    if (raw.size() != expected) {
      throw OnnxErrors.malformed(where, "raw data holds " + raw.size() + " bytes, its dims need " + expected);
    }
    return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  // Every reader checks the stored length before sizing its array: the dims alone are a claim, and a few bytes
  // of file can claim hundreds of megabytes within the model budget.
  private static float[] floats(ByteString raw, int n, String where) {
    java.nio.FloatBuffer values = checked(raw, 4L * n, where).asFloatBuffer();
    float[] out = new float[n];
    values.get(out);
    return out;
  }

  private static float[] doublesAsFloats(ByteString raw, int n, String where) {
    ByteBuffer buffer = checked(raw, 8L * n, where);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) buffer.getDouble();
    }
    return out;
  }

  private static long[] integers(ByteString raw, int n, int width, boolean signed, String where) {
    ByteBuffer buffer = checked(raw, (long) width * n, where);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = switch (width) {
        case 1 -> signed ? buffer.get() : Byte.toUnsignedLong(buffer.get());
        case 2 -> signed ? buffer.getShort() : Short.toUnsignedLong(buffer.getShort());
        case 4 -> signed ? buffer.getInt() : Integer.toUnsignedLong(buffer.getInt());
        default -> buffer.getLong();
      };
    }
    return out;
  }

  private static float[] halves(ByteString raw, List<Integer> bits, int n, String where) {
    if (raw != null) {
      ByteBuffer buffer = checked(raw, 2L * n, where);
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = halfToFloat(buffer.getShort() & 0xffff);
      }
      return out;
    }
    requireCount(bits.size(), n, where);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = halfToFloat(bits.get(i) & 0xffff);
    }
    return out;
  }

  /** IEEE 754 binary16 to float (Float.float16ToFloat arrived only in Java 20). */
  static float halfToFloat(int bits) {
    int sign = (bits >>> 15) << 31;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  private static void requireCount(int actual, int expected, String where) {
    if (actual != expected) {
      throw OnnxErrors.malformed(where, "holds " + actual + " values, its dims need " + expected);
    }
  }

  private static float[] floatList(List<Float> values, int n, String where) {
    requireCount(values.size(), n, where);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static float[] doubleList(List<Double> values, int n, String where) {
    requireCount(values.size(), n, where);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }

  private static long[] longList(List<Long> values, int n, String where) {
    requireCount(values.size(), n, where);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static long[] intList(List<Integer> values, int n, String where) {
    requireCount(values.size(), n, where);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
