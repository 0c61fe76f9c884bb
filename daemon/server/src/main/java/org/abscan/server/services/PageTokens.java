package org.abscan.server.services;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/**
 * Opaque page tokens: a position key (a scan ordinal, a model id) base64url-encoded with a kind prefix, so a
 * token for one list is refused by another and clients do not build them by hand.
 */
final class PageTokens {
  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 1000;

  private PageTokens() {}

  static String encode(String kind, String key) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((kind + ":" + key).getBytes(StandardCharsets.UTF_8));
  }

  /** @return the key, or empty for the first page */
  static String decode(String kind, String token) {
    if (token.isEmpty()) {
      return "";
    }
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.startsWith(kind + ":")) {
        return decoded.substring(kind.length() + 1);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid page token",
        List.of(new AbscanException.Violation("page_token", "not a token this list returned")));
  }

  static int pageSize(int requested) {
    if (requested < 0) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "page_size must not be negative",
          List.of(new AbscanException.Violation("page_size", "must not be negative")));
    }
    return requested == 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
  }
}
