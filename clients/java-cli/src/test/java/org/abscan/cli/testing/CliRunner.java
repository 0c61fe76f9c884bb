package org.abscan.cli.testing;

import io.grpc.Channel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.abscan.cli.AbscanCli;
import org.abscan.cli.CliContext;
import org.abscan.cli.UserInterrupt;
import org.abscan.cli.connect.Connection;
import org.abscan.cli.connect.Endpoint;
import picocli.CommandLine;

/** Runs abscan commands in-process against an {@link InProcessDaemon}, capturing stdout, stderr and the exit code. */
public final class CliRunner {
  /** What a command did. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final InProcessDaemon daemon;
  private final Path workingDirectory;
  private final Map<String, String> environment = new HashMap<>();
  private boolean sharesFilesystem;
  private boolean interactive;
  public final UserInterrupt interrupt = new UserInterrupt();
  public final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
  public volatile int openConnections;

  public CliRunner(InProcessDaemon daemon, Path workingDirectory) {
    this.daemon = daemon;
    this.workingDirectory = workingDirectory;
  }

  /** Like an embedded daemon: models and seeds go by path. */
  public CliRunner embedded() {
    sharesFilesystem = true;
    return this;
  }

  public CliRunner interactive() {
    interactive = true;
    return this;
  }

  public CliRunner env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  public Result run(String... args) {
    CliContext context = new CliContext(this::connect, interactive, environment::get, workingDirectory, interrupt);
    CommandLine commandLine = AbscanCli.commandLine(context);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  private synchronized Connection connect(Endpoint endpoint) {
    endpoints.add(endpoint);
    openConnections++;
    Channel channel = daemon.channel();
    boolean shares = sharesFilesystem;
    return new Connection() {
      @Override
      public Channel channel() {
        return channel;
      }

      @Override
      public boolean sharesFilesystem() {
        return shares;
      }

      @Override
      public void close() {
        synchronized (CliRunner.this) {
          openConnections--;
        }
      }
    };
  }
}
