package org.abscan.cli.progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the process's stderr is a terminal. Java 17's {@code System.console()} answers for stdin and
 * stdout, so {@code abscan scan ... > report.txt} would lose its bars and {@code 2> log} would get them; on
 * Linux the file descriptor's target says what stderr really is.
 */
public final class StderrTerminal {
  private static final Path STDERR = Path.of("/proc/self/fd/2");

  private StderrTerminal() {}

  public static boolean isTerminal() {
    try {
      if (Files.isSymbolicLink(STDERR)) {
        String target = Files.readSymbolicLink(STDERR).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      }
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      // fall through to the console, the portable (if less exact) answer
    }
    return System.console() != null;
  }
}
