package org.abscan.spi;

import java.util.List;
import java.util.Objects;

/**
 * A failure with a category and, where it helps the user, the individual problems found ("violations": an
 * offending op, a layer that is not supported, a bad field). Thrown by plugins and the engine; the daemon turns
 * it into a gRPC status with rich details.
 */
public class AbscanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** One problem: where it is (a field, a layer, an op name) and what is wrong with it. */
  public record Violation(String subject, String description) {
    public Violation {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(description, "description");
    }
  }

  private final ErrorCategory category;
  private final List<Violation> violations;

  public AbscanException(ErrorCategory category, String message) {
    this(category, message, List.of(), null);
  }

  public AbscanException(ErrorCategory category, String message, Throwable cause) {
    this(category, message, List.of(), cause);
  }

  public AbscanException(ErrorCategory category, String message, List<Violation> violations) {
    this(category, message, violations, null);
  }

  public AbscanException(
      ErrorCategory category, String message, List<Violation> violations, Throwable cause) {
    super(message, cause);
    this.category = Objects.requireNonNull(category, "category");
    this.violations = List.copyOf(violations);
  }

  public ErrorCategory category() {
    return category;
  }

  public List<Violation> violations() {
    return violations;
  }
}
