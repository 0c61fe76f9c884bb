package org.abscan.plugins.onnx;

import java.util.List;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;

/** The loader's errors: one violation naming the tensor, node or field and what is wrong with it. */
final class OnnxErrors {
  private OnnxErrors() {}

  static AbscanException malformed(String subject, String description) {
    return of(ErrorCategory.MALFORMED_MODEL, subject, description);
  }

  static AbscanException unsupported(String subject, String description) {
    return of(ErrorCategory.UNSUPPORTED_MODEL, subject, description);
  }

  static AbscanException invalid(String subject, String description) {
    return of(ErrorCategory.INVALID_ARGUMENT, subject, description);
  }

  static AbscanException of(ErrorCategory category, String subject, String description) {
    return new AbscanException(category, subject + ": " + description,
        List.of(new Violation(subject, description)));
  }

  /** "node /conv1/Conv (Conv)": how errors name a node. */
  static String describe(NodeProto node) {
    String name = node.getName().isEmpty() ? "producing " + node.getOutputList() : node.getName();
    return "node " + name + " (" + node.getOpType() + ")";
  }
}
