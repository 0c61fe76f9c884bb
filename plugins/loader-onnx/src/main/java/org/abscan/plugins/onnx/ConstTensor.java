package org.abscan.plugins.onnx;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A tensor whose value is known at load time: an initializer, a Constant node, or the result of folding a
 * shape computation (Shape/Gather/Unsqueeze/Concat...). Floating-point data is held as float, integer and
 * boolean data as long.
 *
 * <p>A shape taken from an activation has an unknown batch size: those elements are marked in {@link #batch}
 * instead of holding a number, and survive index-moving ops (Gather, Concat, Slice...) so that a Reshape can
 * recognise "the batch dimension" in its target.
 */
final class ConstTensor {
  enum Kind {
    FLOAT,
    INT
  }

  private final Kind kind;
  private final long[] shape;
  private final float[] floats;
  private final long[] longs;
  private final BitSet batch;

  private ConstTensor(Kind kind, long[] shape, float[] floats, long[] longs, BitSet batch) {
    this.kind = kind;
    this.shape = shape.clone();
    this.floats = floats;
    this.longs = longs;
    this.batch = batch;
    long count = elementCount(shape);
    if (count != (kind == Kind.FLOAT ? floats.length : longs.length)) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " does not match " + size() + " values");
    }
  }

  static ConstTensor ofFloats(long[] shape, float[] values) {
    return new ConstTensor(Kind.FLOAT, shape, values, null, new BitSet());
  }

  static ConstTensor ofLongs(long[] shape, long[] values) {
    return new ConstTensor(Kind.INT, shape, null, values, new BitSet());
  }

  /** Integers where the elements set in {@code batch} stand for the (unknown) batch size. */
  static ConstTensor ofLongs(long[] shape, long[] values, BitSet batch) {
    return new ConstTensor(Kind.INT, shape, null, values, (BitSet) batch.clone());
  }

  static long elementCount(long[] shape) {
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, d);
    }
    return count;
  }

  Kind kind() {
    return kind;
  }

  long[] shape() {
    return shape.clone();
  }

  int rank() {
    return shape.length;
  }

  int size() {
    return kind == Kind.FLOAT ? floats.length : longs.length;
  }

  /** The float data (not copied: callers must not modify it). */
  float[] floats() {
    if (kind != Kind.FLOAT) {
      throw new IllegalStateException("integer tensor used as float");
    }
    return floats;
  }

  /** The data as floats, converting integers. */
  float[] asFloats() {
    if (kind == Kind.FLOAT) {
      return floats;
    }
    requireNoBatch("converted to float");
    float[] out = new float[longs.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = longs[i];
    }
    return out;
  }

  /** The data as longs (floats truncated), without any batch element. */
  long[] asLongs() {
    requireNoBatch("used as a number");
    if (kind == Kind.INT) {
      return longs.clone();
    }
    long[] out = new long[floats.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (long) floats[i];
    }
    return out;
  }

  /** Integer data where batch elements hold 0; see {@link #isBatch}. */
  long[] rawLongs() {
    return kind == Kind.INT ? longs.clone() : asLongs();
  }

  boolean isBatch(int index) {
    return batch.get(index);
  }

  boolean hasBatch() {
    return !batch.isEmpty();
  }

  void requireNoBatch(String use) {
    if (hasBatch()) {
      throw new UnsupportedOperationException("the batch size is " + use);
    }
  }

  float floatAt(int index) {
    return kind == Kind.FLOAT ? floats[index] : longs[index];
  }

  /** Single value of a scalar or one-element tensor. */
  double scalar() {
    if (size() != 1) {
      throw new IllegalArgumentException("expected one value, got shape " + Arrays.toString(shape));
    }
    requireNoBatch("used as a number");
    return kind == Kind.FLOAT ? floats[0] : longs[0];
  }

  /**
   * A tensor of shape {@code newShape} whose element i is this tensor's element {@code source[i]}: the common
   * core of every index-moving op (Gather, Slice, Transpose, Reshape...), carrying batch marks along.
   */
  ConstTensor select(long[] newShape, int[] source) {
    BitSet marks = new BitSet();
    if (kind == Kind.FLOAT) {
      float[] out = new float[source.length];
      for (int i = 0; i < source.length; i++) {
        out[i] = floats[source[i]];
      }
      return new ConstTensor(kind, newShape, out, null, marks);
    }
    long[] out = new long[source.length];
    for (int i = 0; i < source.length; i++) {
      out[i] = longs[source[i]];
      if (batch.get(source[i])) {
        marks.set(i);
      }
    }
    return new ConstTensor(kind, newShape, null, out, marks);
  }

  /** Same data, another shape of the same size. */
  ConstTensor reshape(long[] newShape) {
    return new ConstTensor(kind, newShape, floats, longs, (BitSet) batch.clone());
  }

  @Override
  public String toString() {
    String data = kind == Kind.FLOAT
        ? Arrays.toString(Arrays.copyOf(floats, Math.min(floats.length, 8)))
        : Arrays.toString(Arrays.copyOf(longs, Math.min(longs.length, 8)));
    return kind + Arrays.toString(shape) + data + (hasBatch() ? " batch@" + batch : "");
  }
}
