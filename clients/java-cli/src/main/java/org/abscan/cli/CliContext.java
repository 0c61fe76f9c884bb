package org.abscan.cli;

import java.nio.file.Path;
import java.util.function.Function;
import org.abscan.cli.connect.Connector;
import org.abscan.cli.connect.DaemonConnector;
import org.abscan.cli.progress.StderrTerminal;

/**
 * What commands take from their surroundings, injectable so tests can run every command against fakes:
 * how to reach a daemon, whether stderr is a terminal, the environment and the working directory, and the
 * Ctrl-C hook.
 *
 * @param interactive stderr is a terminal (progress is redrawn in place rather than printed as lines)
 */
public record CliContext(Connector connector, boolean interactive, Function<String, String> environment,
    Path workingDirectory, UserInterrupt interrupt) {

  /** The real process: a real daemon connector, the real console, environment and directory. */
  public static CliContext system() {
    return new CliContext(new DaemonConnector(), StderrTerminal.isTerminal(), System::getenv,
        Path.of("").toAbsolutePath(), new UserInterrupt());
  }
}
