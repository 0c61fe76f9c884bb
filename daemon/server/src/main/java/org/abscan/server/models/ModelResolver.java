package org.abscan.server.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.abscan.proto.common.v1.ModelRef;
import org.abscan.proto.model.v1.UploadModelMetadata;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadedModel;

/**
 * Turns a {@link ModelRef} into a loaded model: uploaded id or server path → file → loader (named by
 * {@code format}, else the first whose {@code accepts()} recognises the content) → {@link LoadedModel}. Model
 * ids are looked up in the calling tenant's store only.
 */
public final class ModelResolver {
  private final TenantModelStores stores;
  private final ServerPaths paths;
  private final ModelLoaders loaders;

  public ModelResolver(TenantModelStores stores, ServerPaths paths, ModelLoaders loaders) {
    this.stores = stores;
    this.paths = paths;
    this.loaders = loaders;
  }

  public ModelLoaders loaders() {
    return loaders;
  }

  /** Starts an upload; checks the declared size and the named format. */
  public ModelUpload startUpload(UploadModelMetadata metadata, long cap) {
    return new ModelUpload(stores.current(), this, metadata, cap);
  }

  /**
   * Resolves and loads-ready: {@link #locate} then the loader.
   *
   * @param field the request field holding the reference ("model")
   * @throws AbscanException INVALID_ARGUMENT (no source, unknown or unsupported format, path outside roots)
   * @throws org.abscan.server.errors.NotFoundException unknown id or missing path
   */
  public ResolvedModel resolve(ModelRef ref, String field) {
    ModelLocation location = locate(ref, field);
    ModelLoaders.NamedLoader loader = loaders.choose(location.path(), location.format(), field);
    return new ResolvedModel(location.path(), location.sha256(), loader.format(), loader.loader());
  }

  /**
   * The daemon's half when models are parsed in worker processes: the file (contained in the roots, or the
   * tenant's upload) and the format named by the request or the upload, checked against the known names only.
   * Nothing of the model's content is read except for the hash of a server path.
   */
  public ModelLocation locate(ModelRef ref, String field) {
    Path path;
    String sha256;
    String storedFormat = "";
    switch (ref.getSourceCase()) {
      case MODEL_ID -> {
        StoredModelInfo stored = stores.current().get(ref.getModelId());
        path = stored.content();
        sha256 = stored.id();
        storedFormat = stored.format();
      }
      case SERVER_PATH -> {
        path = paths.resolve(ref.getServerPath(), field + ".server_path");
        sha256 = contentHash(path);
      }
      default -> throw invalid(field, "set model_id or server_path");
    }
    String format;
    if (!ref.getFormat().isEmpty()) {
      loaders.checkKnown(ref.getFormat(), field + ".format");
      format = ref.getFormat();
    } else if (!storedFormat.isEmpty() && loaders.formats().contains(storedFormat)) {
      format = storedFormat;
    } else {
      format = "";
    }
    return new ModelLocation(path, sha256, format);
  }

  /** Parses the model with its loader; the caller closes it. */
  public LoadedModel load(ResolvedModel model) {
    return ModelLoaders.load(model.loader(), model.path());
  }

  /** The format of stored content: the named one, else the detected one, else empty (decided at use). */
  String formatOf(Path content, String named) {
    if (!named.isEmpty()) {
      return named;
    }
    return loaders.detect(content).map(ModelLoaders.NamedLoader::format).orElse("");
  }

  /** sha256 of a file, or of every file (relative name and bytes, sorted) of a directory. */
  static String contentHash(Path path) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
            digest.update(path.relativize(file).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update((byte) 0);
            hashInto(file, digest);
          }
        }
      } else {
        hashInto(path, digest);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void hashInto(Path file, MessageDigest digest) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  private static AbscanException invalid(String field, String message) {
    return new AbscanException(ErrorCategory.INVALID_ARGUMENT, message,
        List.of(new AbscanException.Violation(field, message)));
  }
}
