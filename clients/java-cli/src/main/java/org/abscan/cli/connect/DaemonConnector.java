package org.abscan.cli.connect;

/** Remote when the endpoint names a server, otherwise a daemon embedded in this process. */
public final class DaemonConnector implements Connector {
  @Override
  public Connection connect(Endpoint endpoint) {
    return endpoint.embedded() ? EmbeddedConnection.start(endpoint) : RemoteConnection.open(endpoint.server());
  }
}
