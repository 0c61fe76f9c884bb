package org.abscan.cli.connect;

import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import org.abscan.cli.CliFailure;
import org.abscan.cli.ExitCodes;

/** A plaintext HTTP/2 channel to a daemon at HOST:PORT. */
final class RemoteConnection implements Connection {
  /** Reports carry trigger images and NSF curves; gRPC's 4 MiB default is too small for big models. */
  private static final int MAX_INBOUND_BYTES = 64 << 20;

  private final ManagedChannel channel;

  private RemoteConnection(ManagedChannel channel) {
    this.channel = channel;
  }

  static RemoteConnection open(String server) {
    if (server.isBlank()) {
      throw new CliFailure(ExitCodes.USAGE, "--server needs HOST:PORT");
    }
    ManagedChannel channel = Grpc.newChannelBuilder(server, InsecureChannelCredentials.create())
        .maxInboundMessageSize(MAX_INBOUND_BYTES)
        .build();
    return new RemoteConnection(channel);
  }

  @Override
  public Channel channel() {
    return channel;
  }

  @Override
  public boolean sharesFilesystem() {
    return false;
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      // Give a cancellation (Ctrl-C) time to reach the server before the process ends.
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
