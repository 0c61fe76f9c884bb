package org.abscan.cli.command;

import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import java.io.PrintWriter;
import org.abscan.cli.connect.Connection;
import org.abscan.proto.model.v1.ModelServiceGrpc;
import org.abscan.proto.plugin.v1.PluginServiceGrpc;
import org.abscan.proto.scan.v1.ScanServiceGrpc;

/** One command's connection: stubs bound to its channel and deadline, and its output streams. */
public final class Session {
  private final Connection connection;
  private final Channel channel;
  private final Deadline deadline;
  private final PrintWriter out;
  private final PrintWriter err;

  Session(Connection connection, Channel channel, Deadline deadline, PrintWriter out, PrintWriter err) {
    this.connection = connection;
    this.channel = channel;
    this.deadline = deadline;
    this.out = out;
    this.err = err;
  }

  public boolean sharesFilesystem() {
    return connection.sharesFilesystem();
  }

  public ScanServiceGrpc.ScanServiceBlockingStub scans() {
    return bound(ScanServiceGrpc.newBlockingStub(channel));
  }

  public ModelServiceGrpc.ModelServiceBlockingStub models() {
    return bound(ModelServiceGrpc.newBlockingStub(channel));
  }

  public ModelServiceGrpc.ModelServiceStub modelsAsync() {
    return bound(ModelServiceGrpc.newStub(channel));
  }

  public PluginServiceGrpc.PluginServiceBlockingStub plugins() {
    return bound(PluginServiceGrpc.newBlockingStub(channel));
  }

  public HealthGrpc.HealthBlockingStub health() {
    return bound(HealthGrpc.newBlockingStub(channel));
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  private <S extends AbstractStub<S>> S bound(S stub) {
    return deadline == null ? stub : stub.withDeadline(deadline);
  }
}
