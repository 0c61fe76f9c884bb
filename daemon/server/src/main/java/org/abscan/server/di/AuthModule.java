package org.abscan.server.di;

import dagger.Module;
import dagger.Provides;
import java.util.Optional;
import javax.inject.Singleton;
import org.abscan.server.auth.AuthInterceptor;
import org.abscan.server.auth.Authenticator;
import org.abscan.server.auth.TokenFile;
import org.abscan.server.config.AccessConfig;
import org.abscan.server.config.DaemonConfig;

/** Caller identity: the token file and client certificates; absent when authentication is off. */
@Module
public final class AuthModule {
  private AuthModule() {}

  @Provides
  @Singleton
  static Optional<AuthInterceptor> authInterceptor(DaemonConfig config) {
    AccessConfig access = config.access();
    if (!access.authenticationRequired()) {
      return Optional.empty();
    }
    return Optional.of(new AuthInterceptor(new Authenticator(access.tokens().map(TokenFile::new),
        access.tlsClientCa() != null)));
  }
}
