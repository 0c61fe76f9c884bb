package org.abscan.server.auth;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Metadata;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who a call comes from: a client certificate verified by the TLS layer against {@code --tls-client-ca} (its CN
 * is the tenant), else an {@code authorization: Bearer TOKEN} header found in the token file.
 */
public final class Authenticator {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "bearer ";

  private final Optional<TokenFile> tokens;
  private final boolean clientCertificates;

  public Authenticator(Optional<TokenFile> tokens, boolean clientCertificates) {
    this.tokens = tokens;
    this.clientCertificates = clientCertificates;
  }

  /** The caller's tenant, or empty when the call proves no identity. */
  public Optional<String> tenantOf(Metadata headers, Attributes transport) {
    if (clientCertificates) {
      Optional<String> cn = certificateCn(transport.get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
      if (cn.isPresent()) {
        return cn;
      }
    }
    String authorization = headers.get(AUTHORIZATION);
    if (tokens.isEmpty() || authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    String token = authorization.substring(BEARER.length()).trim();
    return token.isEmpty() ? Optional.empty() : tokens.get().tenantOf(token);
  }

  static Optional<String> certificateCn(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return Optional.empty();
      }
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          String cn = rdn.getValue().toString().trim();
          return cn.isEmpty() ? Optional.empty() : Optional.of(cn);
        }
      }
      return Optional.empty();
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return Optional.empty(); // no verified certificate: fall back to the token
    }
  }
}
