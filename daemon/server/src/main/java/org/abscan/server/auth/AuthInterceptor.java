package org.abscan.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthGrpc;
import java.util.Optional;
import org.abscan.server.errors.StatusMapper;
import org.abscan.server.errors.UnauthenticatedException;

/**
 * Requires an identity on every call except grpc.health.v1 (load balancers and orchestrators probe without
 * credentials; health says nothing about tenants' data) and puts the caller's tenant in the {@link Context}.
 * Reflection is not exempt: it is a developer convenience (grpcurl sends {@code -H authorization:...}) and an
 * unauthenticated caller has no business mapping the API.
 */
public final class AuthInterceptor implements ServerInterceptor {
  private static final String HEALTH = HealthGrpc.SERVICE_NAME;

  private final Authenticator authenticator;

  public AuthInterceptor(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (HEALTH.equals(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    Optional<String> tenant = authenticator.tenantOf(headers, call.getAttributes());
    if (tenant.isEmpty()) {
      StatusRuntimeException refused = StatusMapper.toStatusException(
          new UnauthenticatedException("a valid bearer token or client certificate is required"));
      call.close(refused.getStatus(), refused.getTrailers() == null ? new Metadata() : refused.getTrailers());
      return new ServerCall.Listener<>() { };
    }
    return Contexts.interceptCall(Context.current().withValue(Tenants.KEY, tenant.get()), call, headers, next);
  }
}
