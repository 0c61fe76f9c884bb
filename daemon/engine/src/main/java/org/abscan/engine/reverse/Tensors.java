package org.abscan.engine.reverse;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Copies between tensors and Java arrays. */
final class Tensors {
  private Tensors() {}

  static float[] floats(TFloat32 t) {
    float[] out = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }

  static long[] longs(TInt64 t) {
    long[] out = new long[(int) t.size()];
    t.asRawTensor().data().asLongs().read(out);
    return out;
  }

  /** Images {@code start..start+m} of a row-major [n, h, w, c] array, as an [m, h, w, c] tensor. */
  static TFloat32 images(float[] pixels, int start, int m, int h, int w, int c) {
    int size = h * w * c;
    return TFloat32.tensorOf(Shape.of(m, h, w, c),
        DataBuffers.of(java.util.Arrays.copyOfRange(pixels, start * size, (start + m) * size)));
  }

  static TFloat32 vector(float[] values) {
    return TFloat32.tensorOf(Shape.of(values.length), DataBuffers.of(values));
  }
}
