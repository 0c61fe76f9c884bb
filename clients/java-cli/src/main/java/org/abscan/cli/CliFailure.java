package org.abscan.cli;

/**
 * A failure the CLI detected itself (an unreadable local file, a scan that ended without a report): one
 * message line for the user and the exit code it maps to.
 */
public final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
