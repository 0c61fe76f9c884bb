package org.abscan.plugins.keras;

import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/** Builders for the exceptions this loader throws, so every message names the layer or attribute at fault. */
final class KerasErrors {
  private KerasErrors() {}

  static AbscanException malformed(String subject, String description) {
    return new AbscanException(
        ErrorCategory.MALFORMED_MODEL,
        "malformed Keras model: " + subject + ": " + description,
        List.of(new AbscanException.Violation(subject, description)));
  }

  static AbscanException unsupported(String layerName, String description) {
    return new AbscanException(
        ErrorCategory.UNSUPPORTED_MODEL,
        "unsupported Keras model: layer " + layerName + ": " + description,
        List.of(new AbscanException.Violation(layerName, description)));
  }

  static AbscanException limit(String subject, String description) {
    return new AbscanException(
        ErrorCategory.LIMIT_EXCEEDED,
        "Keras model too large: " + subject + ": " + description,
        List.of(new AbscanException.Violation(subject, description)));
  }
}
