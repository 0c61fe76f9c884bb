package org.abscan.plugins.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/** Layers that move values around: Add, Concatenate, Flatten, Reshape, ZeroPadding2D. */
final class StructureLayers {
  private StructureLayers() {}

  static LayerOp add(LayerConfig c, List<long[]> in) {
    if (in.size() < 2) {
      throw c.malformed("Add needs at least two inputs, has " + in.size());
    }
    for (long[] shape : in) {
      if (!Arrays.equals(shape, in.get(0))) {
        throw c.unsupported("Add of shapes " + Arrays.toString(in.get(0)) + " and " + Arrays.toString(shape)
            + " (broadcasting not supported)");
      }
    }
    return new LayerOp(in.get(0), (tf, inputs, constants) -> {
      var sum = inputs.get(0);
      for (int i = 1; i < inputs.size(); i++) {
        sum = tf.math.add(sum, inputs.get(i));
      }
      return sum;
    });
  }

  static LayerOp concatenate(LayerConfig c, List<long[]> in) {
    if (in.size() < 2) {
      throw c.malformed("Concatenate needs at least two inputs, has " + in.size());
    }
    int rank = in.get(0).length;
    int axis = c.integer("axis", -1);
    // Keras counts the batch axis; shapes here do not.
    int featureAxis = axis < 0 ? rank + axis : axis - 1;
    if (featureAxis < 0 || featureAxis >= rank) {
      throw c.unsupported("Concatenate axis " + axis + " for rank " + (rank + 1));
    }
    long[] out = in.get(0).clone();
    out[featureAxis] = 0;
    for (long[] shape : in) {
      for (int i = 0; i < rank; i++) {
        if (shape.length != rank || (i != featureAxis && shape[i] != out[i])) {
          throw c.malformed("Concatenate inputs " + Arrays.toString(in.get(0)) + " and " + Arrays.toString(shape)
              + " differ off axis " + axis);
        }
      }
      out[featureAxis] += shape[featureAxis];
    }
    int tfAxis = featureAxis + 1;
    return new LayerOp(out, (tf, inputs, constants) -> tf.concat(inputs, tf.constant(tfAxis)));
  }

  static LayerOp flatten(LayerConfig c, long[] in) {
    c.requireChannelsLast();
    // NHWC row-major order is exactly Keras's channels_last Flatten order, so a reshape suffices.
    long[] out = {LayerOp.product(in)};
    return new LayerOp(out, (tf, inputs, constants) -> tf.reshape(inputs.get(0), tf.constant(new long[] {-1, out[0]})));
  }

  static LayerOp reshape(LayerConfig c, long[] in) {
    JsonNode target = c.raw("target_shape");
    if (!target.isArray() || target.isEmpty()) {
      throw c.bad("target_shape", "missing");
    }
    long[] out = new long[target.size()];
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      JsonNode dim = target.get(i);
      if (!dim.canConvertToLong() || dim.asLong() == 0 || dim.asLong() < -1) {
        throw c.bad("target_shape", "bad dimension " + dim);
      }
      out[i] = dim.asLong();
      if (out[i] == -1) {
        if (unknown >= 0) {
          throw c.bad("target_shape", "more than one -1");
        }
        unknown = i;
      } else {
        known = Math.multiplyExact(known, out[i]);
      }
    }
    long total = LayerOp.product(in);
    if (unknown >= 0 && total % known == 0) {
      out[unknown] = total / known;
      known = total;
    }
    if (known != total) {
      throw c.malformed("cannot reshape " + Arrays.toString(in) + " to " + target);
    }
    return new LayerOp(out, (tf, inputs, constants) -> tf.reshape(inputs.get(0), tf.constant(LayerOp.withAnyBatch(out))));
  }

  static LayerOp zeroPadding(LayerConfig c, long[] in) {
    c.requireChannelsLast();
    ConvolutionLayers.requireRank(c, in, 3);
    long[] pads = paddingAmounts(c);
    long[] out = {in[0] + pads[0] + pads[1], in[1] + pads[2] + pads[3], in[2]};
    // int32: Pad's C++ gradient slices with Shape(x), which is int32, and Slice needs matching index types.
    int[][] paddings = {{0, 0}, {(int) pads[0], (int) pads[1]}, {(int) pads[2], (int) pads[3]}, {0, 0}};
    return new LayerOp(out, (tf, inputs, constants) ->
        tf.pad(inputs.get(0), tf.constant(paddings), tf.constant(0f)));
  }

  /** top, bottom, left, right from 1, (h, w) or ((top, bottom), (left, right)). */
  private static long[] paddingAmounts(LayerConfig c) {
    JsonNode p = c.raw("padding");
    long[] pads = new long[4];
    if (p.canConvertToInt()) {
      Arrays.fill(pads, p.asInt());
    } else if (p.isArray() && p.size() == 2 && p.get(0).canConvertToInt() && p.get(1).canConvertToInt()) {
      pads[0] = pads[1] = p.get(0).asInt();
      pads[2] = pads[3] = p.get(1).asInt();
    } else if (p.isArray() && p.size() == 2 && p.get(0).size() == 2 && p.get(1).size() == 2) {
      pads[0] = p.get(0).get(0).asInt(-1);
      pads[1] = p.get(0).get(1).asInt(-1);
      pads[2] = p.get(1).get(0).asInt(-1);
      pads[3] = p.get(1).get(1).asInt(-1);
    } else {
      throw c.bad("padding", "not an int, a pair or a pair of pairs: " + p);
    }
    for (long pad : pads) {
      if (pad < 0 || pad > 1 << 16) {
        throw c.bad("padding", "out of range: " + p);
      }
    }
    return pads;
  }
}
