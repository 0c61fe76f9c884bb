package org.abscan.cli.command;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import org.abscan.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code abscan health}: grpc.health.v1 Check; exit 0 when SERVING, 4 otherwise. */
@Command(name = "health", description = "Check the daemon's health (grpc.health.v1). Exit 0 when SERVING, else 4.")
public final class HealthCommand extends ConnectedCommand {
  @Option(names = "--service", paramLabel = "NAME",
      description = "Service to check, e.g. abscan.scan.v1.ScanService (default: the whole daemon).")
  String service = "";

  @Override
  protected int run(Session session) {
    HealthCheckResponse.ServingStatus status;
    try {
      status = session.health().check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    } catch (StatusRuntimeException e) {
      // The health protocol answers an unknown service with NOT_FOUND: for a health check that is "not
      // serving" (4), not a rejected input (3).
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
      status = HealthCheckResponse.ServingStatus.SERVICE_UNKNOWN;
    }
    session.out().println(status.name());
    session.out().flush();
    return status == HealthCheckResponse.ServingStatus.SERVING ? ExitCodes.OK : ExitCodes.SERVER_ERROR;
  }
}
