package org.abscan.cli.connect;

import io.grpc.Channel;

/** An open channel to a daemon, remote or in-process; closing it releases the channel (and the daemon). */
public interface Connection extends AutoCloseable {
  Channel channel();

  /**
   * True when the daemon reads this machine's files (embedded mode): models and seeds are then named by
   * path instead of being uploaded.
   */
  boolean sharesFilesystem();

  @Override
  void close();
}
