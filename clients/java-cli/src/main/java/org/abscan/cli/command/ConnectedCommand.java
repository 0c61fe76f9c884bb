package org.abscan.cli.command;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Deadline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.abscan.cli.AbscanCli;
import org.abscan.cli.CliContext;
import org.abscan.cli.UserInterrupt;
import org.abscan.cli.connect.BearerToken;
import org.abscan.cli.connect.Connection;
import org.abscan.cli.connect.Endpoint;
import org.abscan.cli.options.ConnectionOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a daemon. It opens the connection (remote or embedded), runs the command's calls
 * inside a context Ctrl-C cancels, and closes everything, whatever the outcome; errors go to the CLI's
 * error reporter, which picks the exit code.
 */
public abstract class ConnectedCommand implements Callable<Integer> {
  @ParentCommand
  AbscanCli root;

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Override
  public final Integer call() throws Exception {
    validate();
    checkLocalInputs();
    CliContext context = root.context();
    Endpoint endpoint = endpoint(context);
    try (UserInterrupt.Registration registration = context.interrupt().open()) {
      Context previous = registration.context().attach();
      try (Connection open = context.connector().connect(endpoint)) {
        return run(new Session(open, channel(open, context), deadline(), spec.commandLine().getOut(),
            spec.commandLine().getErr()));
      } finally {
        registration.context().detach(previous);
      }
    }
  }

  /** The command's work; returns its exit code. */
  protected abstract int run(Session session) throws Exception;

  /** Local files the embedded daemon must be allowed to read (their parent directories become roots). */
  protected List<Path> localInputs() {
    return List.of();
  }

  /** Fails fast on local inputs that cannot work, before a daemon is started or dialled. */
  protected void checkLocalInputs() {}

  /** Commands that need a remote daemon override this to say so. */
  protected boolean requiresServer() {
    return false;
  }

  protected CliContext context() {
    return root.context();
  }

  protected ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private void validate() {
    if (requiresServer() && connection.server == null) {
      throw usageError(spec.name() + " works on a daemon's scan jobs: give --server HOST:PORT");
    }
    if (connection.server != null && (connection.dataDir != null || !connection.pluginDirs.isEmpty())) {
      throw usageError("--data-dir and --plugin-dir configure the embedded daemon; they cannot go with --server");
    }
    if (connection.deadlineSeconds != null && !(connection.deadlineSeconds > 0)) {
      throw usageError("--deadline must be a positive number of seconds");
    }
  }

  private Endpoint endpoint(CliContext context) {
    Set<Path> roots = new LinkedHashSet<>();
    addRoot(roots, context.workingDirectory());
    for (Path input : localInputs()) {
      Path absolute = input.toAbsolutePath().normalize();
      if (absolute.getParent() != null) {
        addRoot(roots, absolute.getParent());
      }
    }
    return new Endpoint(connection.server, new ArrayList<>(roots), connection.dataDir, connection.pluginDirs);
  }

  /** Both the path as given and its real path, so the daemon accepts inputs reached through symbolic links. */
  private static void addRoot(Set<Path> roots, Path directory) {
    Path absolute = directory.toAbsolutePath().normalize();
    roots.add(absolute);
    try {
      if (Files.exists(absolute)) {
        roots.add(absolute.toRealPath());
      }
    } catch (IOException ignored) {
      // The absolute path alone still works where no link is involved.
    }
  }

  private Channel channel(Connection open, CliContext context) {
    String token = connection.token != null ? connection.token : context.environment().apply("ABSCAN_TOKEN");
    return token == null || token.isBlank()
        ? open.channel()
        : ClientInterceptors.intercept(open.channel(), new BearerToken(token));
  }

  private Deadline deadline() {
    return connection.deadlineSeconds == null
        ? null
        : Deadline.after(Math.round(connection.deadlineSeconds * 1000), TimeUnit.MILLISECONDS);
  }
}
