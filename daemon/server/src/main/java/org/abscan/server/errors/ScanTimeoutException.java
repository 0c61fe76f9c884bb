package org.abscan.server.errors;

import java.time.Duration;

/** A task ran past its wall-clock limit ({@code --scan-timeout}); its worker was killed. */
public final class ScanTimeoutException extends RuntimeException {
  public ScanTimeoutException(Duration limit) {
    super("the scan ran longer than its limit of " + limit.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
        + " and its worker was stopped");
  }
}
