package org.abscan.server.models;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.abscan.proto.model.v1.UploadModelMetadata;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;

/**
 * One model upload in progress: bytes go to a temporary file while their sha256 is computed; the cap is checked
 * on the declared size up front and on every chunk, and a refused or abandoned upload leaves nothing behind.
 * Not thread-safe: gRPC delivers one stream's messages one at a time.
 */
public final class ModelUpload {
  private final ModelStore store;
  private final ModelResolver resolver;
  private final UploadModelMetadata metadata;
  private final long cap;
  private final Path temp;
  private final OutputStream out;
  private final MessageDigest digest;
  private long received;
  private boolean closed;

  ModelUpload(ModelStore store, ModelResolver resolver, UploadModelMetadata metadata, long cap) {
    if (metadata.getSizeBytes() > cap) {
      throw overCap("metadata.size_bytes",
          "declared size " + metadata.getSizeBytes() + " bytes is over the server's upload cap of " + cap);
    }
    if (!metadata.getFormat().isEmpty()) {
      resolver.loaders().byName(metadata.getFormat(), "metadata.format");
    }
    this.store = store;
    this.resolver = resolver;
    this.metadata = metadata;
    this.cap = cap;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
      this.temp = store.newTempFile();
      this.out = Files.newOutputStream(temp);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void append(ByteString chunk) {
    received += chunk.size();
    if (received > cap) {
      abort();
      throw overCap("chunk", "upload exceeds the server's upload cap of " + cap + " bytes");
    }
    try {
      for (var buffer : chunk.asReadOnlyByteBufferList()) {
        digest.update(buffer.duplicate());
      }
      chunk.writeTo(out);
    } catch (IOException e) {
      abort();
      throw new UncheckedIOException(e);
    }
  }

  /** Stores the model; the upload is finished either way. */
  public StoredModelInfo finish() {
    if (received == 0) {
      abort();
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "empty upload: no chunk carried any byte",
          List.of(new AbscanException.Violation("chunk", "no bytes received")));
    }
    try {
      out.close();
      closed = true;
      String id = HexFormat.of().formatHex(digest.digest());
      boolean zip = metadata.getFilename().toLowerCase(Locale.ROOT).endsWith(".zip");
      return store.commit(temp, id, metadata.getFilename(), received, zip, 4 * cap,
          content -> resolver.formatOf(content, metadata.getFormat()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      abort();
    }
  }

  /** Drops what was received (idempotent). */
  public void abort() {
    try {
      if (!closed) {
        closed = true;
        out.close();
      }
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AbscanException overCap(String field, String message) {
    return new AbscanException(ErrorCategory.LIMIT_EXCEEDED, message,
        List.of(new AbscanException.Violation(field, message)));
  }
}
