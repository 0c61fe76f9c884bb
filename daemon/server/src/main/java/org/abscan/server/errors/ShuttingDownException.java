package org.abscan.server.errors;

/** The daemon is stopping: work it had accepted was cut short. Clients may retry against another daemon. */
public final class ShuttingDownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShuttingDownException(String message) {
    super(message);
  }
}
