package org.abscan.plugins.savedmodel;

import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;

/**
 * Refusals that name what is at fault (a file, node or tensor) as a violation, which the daemon turns into the
 * status details a client can act on; the message alone is for people.
 */
final class SavedModelErrors {
  private SavedModelErrors() {}

  static AbscanException malformed(String subject, String message) {
    return of(ErrorCategory.MALFORMED_MODEL, subject, message, null);
  }

  static AbscanException malformed(String subject, String message, Throwable cause) {
    return of(ErrorCategory.MALFORMED_MODEL, subject, message, cause);
  }

  static AbscanException of(ErrorCategory category, String subject, String message, Throwable cause) {
    return new AbscanException(category, message, List.of(new Violation(subject, message)), cause);
  }
}
