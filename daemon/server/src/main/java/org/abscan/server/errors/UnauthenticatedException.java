package org.abscan.server.errors;

/** A call without a valid identity (no or unknown bearer token, no verified client certificate). */
public final class UnauthenticatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnauthenticatedException(String message) {
    super(message);
  }
}
