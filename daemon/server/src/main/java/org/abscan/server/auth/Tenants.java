package org.abscan.server.auth;

import io.grpc.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The caller's tenant, put in the gRPC {@link Context} by {@link AuthInterceptor}. gRPC attaches that context for
 * every callback of the call (including the request stream of an upload), so services read it with
 * {@link #current()} wherever they run on the call's behalf.
 */
public final class Tenants {
  /** The tenant of every call when authentication is off: the whole daemon is one tenant's. */
  public static final String DEFAULT = "";
  static final Context.Key<String> KEY = Context.key("abscan-tenant");
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Tenants() {}

  public static String current() {
    String tenant = KEY.get();
    return tenant == null ? DEFAULT : tenant;
  }

  /** Runs with {@code tenant} as the current one (tests and in-daemon work on a tenant's behalf). */
  public static Context with(String tenant) {
    return Context.current().withValue(KEY, tenant);
  }

  /**
   * A directory name for a tenant's files: the name itself when it is plain, else a hash, so a certificate CN
   * like "../x" or "a b" can never leave the data directory or collide with a plain name.
   */
  public static String directoryName(String tenant) {
    if (SAFE.matcher(tenant).matches()) {
      return tenant;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
      return "h-" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
