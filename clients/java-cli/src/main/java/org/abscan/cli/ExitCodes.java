package org.abscan.cli;

/** The process exit codes of every abscan command; scripts and CI branch on these. */
public final class ExitCodes {
  /** The command succeeded; for a scan: the model is benign. */
  public static final int OK = 0;
  /** Usage error: unknown option, missing argument, malformed value (picocli's own code). */
  public static final int USAGE = 2;
  /** The model (or another named input: seeds, scan id) was rejected, not found or unreadable. */
  public static final int REJECTED = 3;
  /** The server failed or could not be reached: UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED, ... */
  public static final int SERVER_ERROR = 4;
  /** The scan finished and the model is trojaned. */
  public static final int TROJANED = 10;
  /** The user interrupted the command (SIGINT): 128 + 2, as a shell reports it. */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
