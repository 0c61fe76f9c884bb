package org.abscan.server.logging;

/**
 * Process-wide logging switches. Both must run before the first use of java.util.logging (gRPC and netty log
 * through it) and of Log4j, which reads {@value #FORMAT_PROPERTY} when it configures itself from log4j2.xml.
 */
public final class LoggingSetup {
  /** "text" or "json": selects the console layout in log4j2.xml. */
  public static final String FORMAT_PROPERTY = "abscan.log.format";

  private LoggingSetup() {}

  /** Routes java.util.logging (gRPC, netty) to Log4j2, unless the embedding application chose a manager. */
  public static void bridgeJul() {
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    }
  }

  public static void useFormat(String format) {
    System.setProperty(FORMAT_PROPERTY, format);
  }

  /**
   * For a process that stops its daemon from its own shutdown hook: Log4j's hook would otherwise stop logging
   * first and the shutdown would go unlogged. The caller ends with {@link #shutdown()}.
   */
  public static void disableLog4jShutdownHook() {
    System.setProperty("log4j2.shutdownHookEnabled", "false");
  }

  /** Flushes and stops Log4j. */
  public static void shutdown() {
    org.apache.logging.log4j.LogManager.shutdown();
  }
}
