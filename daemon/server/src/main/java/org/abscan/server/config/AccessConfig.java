package org.abscan.server.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Who may call the daemon and how much each caller may ask of it.
 *
 * @param authTokensFile lines {@code TOKEN [TENANT]}; when set (or when mTLS is on) every call but health needs
 *     an identity
 * @param tlsCert server certificate chain (PEM); with {@code tlsKey} turns TLS on
 * @param tlsKey server private key (PEM, PKCS#8)
 * @param tlsClientCa CA (PEM) client certificates are checked against; a verified client's CN is its tenant
 * @param tenantMaxRunning scans one tenant may have running at once
 * @param tenantMaxQueued scans one tenant may have waiting at once
 * @param maxSeeds seed images per request
 * @param maxImageDimension largest width or height of one decoded seed image
 */
public record AccessConfig(
    Path authTokensFile,
    Path tlsCert,
    Path tlsKey,
    Path tlsClientCa,
    int tenantMaxRunning,
    int tenantMaxQueued,
    int maxSeeds,
    int maxImageDimension) {
  public static final int DEFAULT_MAX_SEEDS = 5_000;
  public static final int DEFAULT_MAX_IMAGE_DIMENSION = 4_096;

  public AccessConfig {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (tlsClientCa != null && tlsCert == null) {
      throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key");
    }
    if (tenantMaxRunning <= 0 || tenantMaxQueued <= 0 || maxSeeds <= 0 || maxImageDimension <= 0) {
      throw new IllegalArgumentException(
          "tenant-max-running, tenant-max-queued, max-seeds and max-image-dimension must be positive");
    }
  }

  /** No authentication, no TLS, per-tenant limits off (one tenant may use the whole daemon). */
  public static AccessConfig open() {
    return new AccessConfig(null, null, null, null, Integer.MAX_VALUE, Integer.MAX_VALUE, DEFAULT_MAX_SEEDS,
        DEFAULT_MAX_IMAGE_DIMENSION);
  }

  /** Whether callers must prove who they are (token file or client certificates). */
  public boolean authenticationRequired() {
    return authTokensFile != null || tlsClientCa != null;
  }

  public Optional<Path> tokens() {
    return Optional.ofNullable(authTokensFile);
  }

  public AccessConfig withAuthTokensFile(Path value) {
    return new AccessConfig(value, tlsCert, tlsKey, tlsClientCa, tenantMaxRunning, tenantMaxQueued, maxSeeds,
        maxImageDimension);
  }

  public AccessConfig withTls(Path cert, Path key, Path clientCa) {
    return new AccessConfig(authTokensFile, cert, key, clientCa, tenantMaxRunning, tenantMaxQueued, maxSeeds,
        maxImageDimension);
  }

  public AccessConfig withTenantLimits(int maxRunning, int maxQueued) {
    return new AccessConfig(authTokensFile, tlsCert, tlsKey, tlsClientCa, maxRunning, maxQueued, maxSeeds,
        maxImageDimension);
  }

  public AccessConfig withSeedLimits(int seeds, int imageDimension) {
    return new AccessConfig(authTokensFile, tlsCert, tlsKey, tlsClientCa, tenantMaxRunning, tenantMaxQueued,
        seeds, imageDimension);
  }
}
