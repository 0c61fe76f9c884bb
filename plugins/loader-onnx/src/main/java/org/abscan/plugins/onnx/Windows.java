package org.abscan.plugins.onnx;

/**
 * Sliding-window geometry of Conv and the pools along one spatial axis, with ONNX's pads/auto_pad and
 * PyTorch's ceil_mode rule. TensorFlow then only runs VALID windows over an explicitly padded tensor, which is
 * what makes asymmetric pads and ceil_mode exact.
 *
 * @param begin pad before the first element (from the model)
 * @param end pad after the last element (from the model)
 * @param extra further padding at the end that ceil_mode needs for the last window (never counted by
 *     AveragePool)
 * @param out number of windows
 */
record Windows(long begin, long end, long extra, long out) {
  /** Larger pads are no image model's: refusing them keeps a hostile file from sizing huge tensors. */
  static final long MAX_PAD = 4096;

  /**
   * @param pads the node's {@code pads} attribute (may be null), [begin_0, begin_1, end_0, end_1]
   * @param axis spatial axis (0 for height, 1 for width)
   */
  static Windows resolve(NodeInputs in, long[] pads, int axis, long size, long kernel, long stride,
      long dilation, boolean ceil) {
    return resolve(in.attrs().getString("auto_pad", "NOTSET"), in.describe(), pads, axis, size, kernel, stride,
        dilation, ceil);
  }

  /** @param where the node, for error messages */
  static Windows resolve(String autoPad, String where, long[] pads, int axis, long size, long kernel,
      long stride, long dilation, boolean ceil) {
    long effectiveKernel = (kernel - 1) * dilation + 1;
    if (stride <= 0 || kernel <= 0 || dilation <= 0) {
      throw OnnxErrors.malformed(where, "kernel, stride and dilation must be positive");
    }
    long begin;
    long end;
    switch (autoPad) {
      case "NOTSET" -> {
        int spatial = pads == null ? 0 : pads.length / 2;
        begin = pads == null ? 0 : pads[axis];
        end = pads == null ? 0 : pads[spatial + axis];
      }
      case "VALID" -> {
        begin = 0;
        end = 0;
      }
      case "SAME_UPPER", "SAME_LOWER" -> {
        long out = (size + stride - 1) / stride;
        long total = Math.max(0, (out - 1) * stride + effectiveKernel - size);
        long small = total / 2;
        begin = autoPad.equals("SAME_UPPER") ? small : total - small;
        end = total - begin;
      }
      default -> throw OnnxErrors.malformed(where, "unknown auto_pad " + autoPad);
    }
    if (begin < 0 || end < 0 || begin > MAX_PAD || end > MAX_PAD) {
      throw OnnxErrors.unsupported(where, "pads must be from 0 to " + MAX_PAD + ", got " + begin + " and " + end);
    }
    long span = size + begin + end - effectiveKernel;
    if (span < 0) {
      throw OnnxErrors.malformed(where, "kernel " + kernel + " is larger than the padded input " + size);
    }
    long out = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
    if (ceil && (out - 1) * stride >= size + begin) {
      // PyTorch (and ONNX Runtime): the last window must start inside the input or its leading pad.
      out--;
    }
    long extra = Math.max(0, (out - 1) * stride + effectiveKernel - (size + begin + end));
    return new Windows(begin, end, extra, out);
  }

  boolean padded() {
    return begin != 0 || end + extra != 0;
  }

  /**
   * For AveragePool: how many cells window {@code o} averages over. Input cells always count, the model's own
   * pads count if {@code countPads}, ceil_mode's extra cells never do (PyTorch's divisor).
   */
  long cellsIn(long o, long size, long kernel, long stride, boolean countPads) {
    long start = o * stride - begin;
    long count = 0;
    for (long i = start; i < start + kernel; i++) {
      boolean real = i >= 0 && i < size;
      boolean pad = i < 0 || i >= size && i < size + end;
      if (real || countPads && pad) {
        count++;
      }
    }
    return count;
  }
}
