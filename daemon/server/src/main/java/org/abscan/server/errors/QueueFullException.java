package org.abscan.server.errors;

import java.time.Duration;
import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/**
 * A limit that frees up on its own (the global scan queue, or one tenant's share of running and waiting scans):
 * the client may retry after {@link #retryAfter()}.
 */
public final class QueueFullException extends AbscanException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;
  private final boolean tenantQuota;

  public QueueFullException(String subject, String message, Duration retryAfter) {
    this(subject, message, retryAfter, false);
  }

  private QueueFullException(String subject, String message, Duration retryAfter, boolean tenantQuota) {
    super(ErrorCategory.LIMIT_EXCEEDED, message, List.of(new Violation(subject, message)));
    this.retryAfter = retryAfter;
    this.tenantQuota = tenantQuota;
  }

  /** One tenant is at its own limit (others may still be served). */
  public static QueueFullException tenantQuota(String subject, String message, Duration retryAfter) {
    return new QueueFullException(subject, message, retryAfter, true);
  }

  public boolean tenantQuota() {
    return tenantQuota;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
