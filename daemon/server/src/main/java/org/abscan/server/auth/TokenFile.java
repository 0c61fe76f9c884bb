package org.abscan.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The {@code --auth-tokens} file: one {@code TOKEN [TENANT]} per line ({@code #} starts a comment; a token alone
 * belongs to tenant {@value #DEFAULT_TENANT}). The file is re-read when its modification time or size changes,
 * so tokens can be added and revoked without a restart; if a re-read fails the previous tokens stay in force.
 * Tokens are kept only as SHA-256 hashes, and looked up by hash, so a lookup's timing says nothing about how
 * much of a guess matched.
 */
public final class TokenFile {
  private static final Logger LOG = LogManager.getLogger(TokenFile.class);
  public static final String DEFAULT_TENANT = "default";

  private final Path path;
  private Map<String, String> tenantByHash = Map.of();
  private FileTime loadedModified;
  private long loadedSize = -1;

  /** @throws IllegalArgumentException when the file cannot be read at startup (an operator error) */
  public TokenFile(Path path) {
    this.path = path;
    if (!reloadIfChanged()) {
      throw new IllegalArgumentException("cannot read the auth tokens file " + path);
    }
  }

  /** The tenant whose token this is. */
  public synchronized Optional<String> tenantOf(String token) {
    reloadIfChanged();
    return Optional.ofNullable(tenantByHash.get(hash(token)));
  }

  /** @return false when the file could not be read (the previous tokens stay) */
  synchronized boolean reloadIfChanged() {
    try {
      FileTime modified = Files.getLastModifiedTime(path);
      long size = Files.size(path);
      if (modified.equals(loadedModified) && size == loadedSize) {
        return true;
      }
      tenantByHash = parse(Files.readAllLines(path, StandardCharsets.UTF_8));
      loadedModified = modified;
      loadedSize = size;
      LOG.info("loaded {} token(s) from {}", tenantByHash.size(), path);
      return true;
    } catch (IOException e) {
      LOG.warn("cannot read the auth tokens file {}: {}; keeping the previous tokens", path, e.toString());
      return false;
    }
  }

  private Map<String, String> parse(List<String> lines) {
    Map<String, String> tokens = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int comment = line.indexOf('#');
      String content = (comment < 0 ? line : line.substring(0, comment)).trim();
      if (content.isEmpty()) {
        continue;
      }
      String[] fields = content.split("\\s+");
      if (fields.length > 2) {
        LOG.warn("{}:{}: expected 'TOKEN [TENANT]'; line ignored", path, i + 1);
        continue;
      }
      String tenant = fields.length == 2 ? fields[1] : DEFAULT_TENANT;
      if (tokens.putIfAbsent(hash(fields[0]), tenant) != null) {
        LOG.warn("{}:{}: a token listed twice; the first line wins", path, i + 1);
      }
    }
    return Map.copyOf(tokens);
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
