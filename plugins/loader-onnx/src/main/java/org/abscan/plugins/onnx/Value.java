package org.abscan.plugins.onnx;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** What an ONNX value name stands for while a model is built: a graph tensor or a load-time constant. */
sealed interface Value permits Value.Tensor, Value.Const {

  /**
   * A float tensor in the TensorFlow graph. Its ONNX (logical) layout is NCHW-style; {@code nhwc} says that a
   * rank-4 tensor is held channels-last, [N, H, W, C], because TensorFlow's CPU convolutions and pools only
   * take that layout. The logical shape of such a tensor is its physical shape with the last axis moved to 1.
   */
  record Tensor(Operand<TFloat32> operand, boolean nhwc) implements Value {
    public Tensor {
      if (nhwc && operand.shape().numDimensions() != 4) {
        throw new IllegalArgumentException("only rank-4 tensors are held NHWC");
      }
    }

    int rank() {
      return operand.shape().numDimensions();
    }

    /** ONNX shape, -1 where unknown (the batch). */
    long[] logicalShape() {
      long[] physical = operand.shape().asArray();
      return nhwc ? Layouts.nhwcToNchw(physical) : physical;
    }
  }

  /** A value known at load time (an initializer, a Constant node or a folded shape computation). */
  record Const(ConstTensor tensor) implements Value {}
}
