package org.abscan.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.abscan.cli.command.CancelCommand;
import org.abscan.cli.command.DemoCommand;
import org.abscan.cli.command.DescribeCommand;
import org.abscan.cli.command.GetCommand;
import org.abscan.cli.command.HealthCommand;
import org.abscan.cli.command.ListCommand;
import org.abscan.cli.command.NsfCommand;
import org.abscan.cli.command.PluginsCommand;
import org.abscan.cli.command.ScanCommand;
import org.abscan.cli.command.TriggerCommand;
import org.abscan.cli.command.WatchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code abscan} command: scans neural-network models for backdoors with ABS, over gRPC. */
@Command(name = "abscan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
        "Scans neural-network models for backdoors (trojans) with ABS, Artificial Brain Stimulation.",
        "Without --server a daemon runs inside this process; with --server HOST:PORT abscan calls one."},
    subcommands = {ScanCommand.class, HealthCommand.class, PluginsCommand.class, DescribeCommand.class,
        NsfCommand.class, TriggerCommand.class, GetCommand.class, ListCommand.class, CancelCommand.class,
        WatchCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0   benign model (or the command succeeded)",
        "  10  trojaned model",
        "  2   usage error",
        "  3   model (or another named input) rejected, not found or unreadable",
        "  4   server or internal error (unavailable, deadline exceeded, ...)",
        "  130 interrupted (Ctrl-C); the scan is cancelled%n"})
public final class AbscanCli implements Callable<Integer> {
  private static final String LOG_CONFIG = "abscan-cli-log4j2.xml";

  @Spec
  CommandSpec spec;

  private final CliContext context;

  public AbscanCli(CliContext context) {
    this.context = context;
  }

  public CliContext context() {
    return context;
  }

  /** {@code abscan} alone: the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The configured command line; tests set its out and err and call execute. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine commandLine = new CommandLine(new AbscanCli(context));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(new ErrorReporter(context.interrupt()));
    return commandLine;
  }

  public static void main(String[] args) {
    // Before any logger exists: the daemon's own log configuration suits a server, not a command line.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", LOG_CONFIG);
    }
    // jhdf (the Keras loader) logs through SLF4J; without a provider SLF4J warns on stderr at every start.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    CliContext context = CliContext.system();
    CountDownLatch finished = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (finished.getCount() > 0) {
        // SIGINT: cancel the calls (the server cancels the scan), give the command a moment to close its
        // connection and embedded daemon; the JVM then exits with 130.
        context.interrupt().interrupt();
        try {
          finished.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "abscan-interrupt"));
    int exitCode = commandLine(context).execute(args);
    finished.countDown();
    System.exit(exitCode);
  }
}
