package org.abscan.plugins.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Java-side evaluation of shape subgraphs, including the symbolic batch size. */
class ConstantFolderTest {
  private static ConstTensor ints(long... values) {
    return ConstTensor.ofLongs(new long[] {values.length}, values);
  }

  @Test
  void batchMarkSurvivesGatherUnsqueezeConcat() {
    BitSet batch = new BitSet();
    batch.set(0);
    ConstTensor shape = ConstTensor.ofLongs(new long[] {4}, new long[] {0, 12, 4, 4}, batch);
    ConstTensor n = ConstIndexing.gather(shape, ConstTensor.ofLongs(new long[0], new long[] {0}), 0);
    assertEquals(0, n.rank());
    assertTrue(n.isBatch(0));
    ConstTensor target = ConstIndexing.concat(List.of(ConstIndexing.unsqueeze(n, new long[] {0}), ints(-1)), 0);
    assertArrayEquals(new long[] {2}, target.shape());
    assertTrue(target.isBatch(0));
    assertFalse(target.isBatch(1));
    assertEquals(-1, target.rawLongs()[1]);
    assertThrows(UnsupportedOperationException.class, () -> Broadcasting.arithmetic("Mul", n, ints(2)),
        "arithmetic on the batch size cannot be folded");
  }

  @Test
  void gatherTransposeAndReshapeMoveElementsLikeNumpy() {
    ConstTensor m = ConstTensor.ofFloats(new long[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5});
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, ConstIndexing.transpose(m, null).floats());
    assertArrayEquals(new float[] {2, 0, 5, 3},
        ConstIndexing.gather(m, ints(2, 0), 1).floats());
    assertArrayEquals(new long[] {3, 2}, ConstIndexing.reshape(m, new long[] {-1, 2}, false).shape());
    assertArrayEquals(new long[] {2, 3}, ConstIndexing.reshape(m, new long[] {0, -1}, false).shape());
  }

  @Test
  void sliceFollowsOnnxClampingAndNegativeSteps() {
    long[][] forward = ConstIndexing.sliceRanges(new long[] {8},
        new long[][] {{-3}, {Long.MAX_VALUE}, null, null});
    assertArrayEquals(new long[] {5, 8, 1}, forward[0]);
    // The pads subgraph of PyTorch's exporter: reverse a [4, 2] tensor's rows with start -1, end INT64_MIN+1.
    long[][] backward = ConstIndexing.sliceRanges(new long[] {4, 2},
        new long[][] {{-1}, {-9223372036854775807L}, {0}, {-1}});
    assertArrayEquals(new long[] {3, -1, -1}, backward[0]);
    assertArrayEquals(new long[] {0, 2, 1}, backward[1]);
  }

  @Test
  void broadcastArithmeticOnConstants() {
    ConstTensor a = ConstTensor.ofFloats(new long[] {2, 1}, new float[] {1, 2});
    ConstTensor b = ConstTensor.ofFloats(new long[] {3}, new float[] {10, 20, 30});
    ConstTensor sum = Broadcasting.arithmetic("Add", a, b);
    assertArrayEquals(new long[] {2, 3}, sum.shape());
    assertArrayEquals(new float[] {11, 21, 31, 12, 22, 32}, sum.floats());
    assertArrayEquals(new long[] {-3, 3}, Broadcasting.arithmetic("Div", ints(-7, 7), ints(2)).asLongs(),
        "integer division truncates");
  }

  @Test
  void ceilModeWindowsFollowPyTorch() {
    // MaxPool(3, stride 2, ceil_mode) on 16: 8 windows, the last hanging one cell past the end.
    Windows max = Windows.resolve("NOTSET", "pool", null, 0, 16, 3, 2, 1, true);
    assertEquals(new Windows(0, 0, 1, 8), max);
    // Without ceil_mode: 7 windows, nothing extra.
    assertEquals(new Windows(0, 0, 0, 7), Windows.resolve("NOTSET", "pool", null, 0, 16, 3, 2, 1, false));
    // PyTorch drops a last window that would start in the trailing pad: k 2, s 2, pad 1 on 5 with ceil_mode
    // gives 3 windows (not 4).
    assertEquals(3, Windows.resolve("NOTSET", "pool", new long[] {1, 0, 1, 0}, 0, 5, 2, 2, 1, true).out());
    // AveragePool(3, stride 2, ceil_mode, count_include_pad) on 10 -> 5 windows; the last covers 2 real cells.
    Windows avg = Windows.resolve("NOTSET", "pool", null, 0, 10, 3, 2, 1, true);
    assertEquals(new Windows(0, 0, 1, 5), avg);
    assertEquals(2, avg.cellsIn(4, 10, 3, 2, true));
    assertEquals(3, avg.cellsIn(3, 10, 3, 2, true));
    // Explicit pad 1 with count_include_pad=0: the first window sees 2 real cells of 3.
    Windows padded = Windows.resolve("NOTSET", "pool", new long[] {1, 1, 1, 1}, 1, 8, 3, 2, 1, false);
    assertEquals(new Windows(1, 1, 0, 4), padded);
    assertEquals(2, padded.cellsIn(0, 8, 3, 2, false));
    assertEquals(3, padded.cellsIn(0, 8, 3, 2, true));
    // SAME_UPPER puts the odd pad cell at the end, SAME_LOWER at the start.
    assertEquals(new Windows(0, 1, 0, 4), Windows.resolve("SAME_UPPER", "conv", null, 0, 8, 3, 2, 1, false));
    assertEquals(new Windows(1, 0, 0, 4), Windows.resolve("SAME_LOWER", "conv", null, 0, 8, 3, 2, 1, false));
  }

  @Test
  void halfPrecisionDecoding() {
    assertEquals(1.0f, TensorDecoder.halfToFloat(0x3c00));
    assertEquals(-2.0f, TensorDecoder.halfToFloat(0xc000));
    assertEquals(65504f, TensorDecoder.halfToFloat(0x7bff));
    assertEquals(Float.POSITIVE_INFINITY, TensorDecoder.halfToFloat(0x7c00));
    assertEquals(5.9604645e-8f, TensorDecoder.halfToFloat(0x0001));
  }

  @Test
  void dilatedKernelPlacesTapsApart() {
    ConstTensor k = ConstTensor.ofFloats(new long[] {1, 1, 2, 2}, new float[] {1, 2, 3, 4});
    ConstTensor d = ConvOps.dilateKernel(k, 2, 3);
    assertArrayEquals(new long[] {1, 1, 3, 4}, d.shape());
    assertArrayEquals(new float[] {1, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 4}, d.floats());
  }
}
