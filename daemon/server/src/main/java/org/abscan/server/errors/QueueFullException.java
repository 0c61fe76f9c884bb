package org.abscan.server.errors;

import java.time.Duration;
import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/** A limit that frees up on its own (the scan queue): the client may retry after {@link #retryAfter()}. */
public final class QueueFullException extends AbscanException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  public QueueFullException(String subject, String message, Duration retryAfter) {
    super(ErrorCategory.LIMIT_EXCEEDED, message, List.of(new Violation(subject, message)));
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
