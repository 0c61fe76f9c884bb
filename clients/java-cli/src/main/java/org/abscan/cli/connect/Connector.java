package org.abscan.cli.connect;

/**
 * Opens connections for commands. The production one ({@link DaemonConnector}) dials a server or starts an
 * embedded daemon; tests pass one that returns a channel to fake services.
 */
@FunctionalInterface
public interface Connector {
  Connection connect(Endpoint endpoint);
}
