package org.abscan.server.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.abscan.server.errors.NotFoundException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Uploaded models under {@code <data-dir>/models/<sha256>/}: {@code model.properties} (metadata) and the
 * content (the file, or the unpacked SavedModel directory). A model directory appears by one atomic rename of a
 * fully written temporary directory, so readers never see half an upload and a crash leaves only temp files.
 */
public final class ModelStore {
  private static final Logger LOG = LogManager.getLogger(ModelStore.class);
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  private static final String META = "model.properties";

  private final Path modelsDir;
  private final Path tmpDir;
  private final Clock clock;

  public ModelStore(Path dataDir, Clock clock) {
    this.modelsDir = dataDir.resolve("models");
    this.tmpDir = dataDir.resolve("tmp");
    this.clock = clock;
    try {
      Files.createDirectories(modelsDir);
      // Whatever is in tmp was left by a daemon that stopped mid-upload: never part of the store.
      deleteRecursively(tmpDir);
      Files.createDirectories(tmpDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the model store in " + dataDir, e);
    }
  }

  /** A temporary file for an upload in progress, on the same file system as the store. */
  Path newTempFile() throws IOException {
    return Files.createTempFile(tmpDir, "upload-", ".part");
  }

  /**
   * Moves a fully received upload into the store (idempotent: the same content yields the same id).
   *
   * @param received the uploaded bytes, consumed (moved or deleted)
   * @param unpackZip whether it is a SavedModel zip to unpack
   * @param format the loader named or detected (may be empty)
   */
  StoredModelInfo commit(Path received, String id, String filename, long size, boolean unpackZip,
      long maxUnpackedBytes, FormatDetector detector) throws IOException {
    Path target = modelsDir.resolve(id);
    if (Files.isDirectory(target)) {
      Files.deleteIfExists(received);
      return find(id).orElseThrow();
    }
    Path staging = tmpDir.resolve("model-" + UUID.randomUUID());
    try {
      Files.createDirectories(staging);
      Path content;
      if (unpackZip) {
        content = ZipUnpacker.unpack(received, staging.resolve("savedmodel"), maxUnpackedBytes);
        Files.delete(received);
      } else {
        content = staging.resolve("model" + extension(filename));
        Files.move(received, content);
      }
      String format = detector.detect(content);
      Properties meta = new Properties();
      meta.setProperty("filename", filename);
      meta.setProperty("size", Long.toString(size));
      meta.setProperty("format", format);
      meta.setProperty("uploaded", Long.toString(clock.millis()));
      meta.setProperty("content", staging.relativize(content).toString());
      try (OutputStream out = Files.newOutputStream(staging.resolve(META))) {
        meta.store(out, "abscan uploaded model");
      }
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
        LOG.debug("model {} stored concurrently", id);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the data directory does not support atomic moves", e);
      }
      return find(id).orElseThrow();
    } finally {
      deleteRecursively(staging);
      Files.deleteIfExists(received);
    }
  }

  /** Decides the format of freshly stored content. */
  @FunctionalInterface
  interface FormatDetector {
    String detect(Path content);
  }

  public Optional<StoredModelInfo> find(String id) {
    if (!ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Path dir = modelsDir.resolve(id);
    Path metaFile = dir.resolve(META);
    if (!Files.isRegularFile(metaFile)) {
      return Optional.empty();
    }
    Properties meta = new Properties();
    try (InputStream in = Files.newInputStream(metaFile)) {
      meta.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + metaFile, e);
    }
    return Optional.of(new StoredModelInfo(id, meta.getProperty("filename", ""),
        Long.parseLong(meta.getProperty("size", "0")), meta.getProperty("format", ""),
        Long.parseLong(meta.getProperty("uploaded", "0")), dir.resolve(meta.getProperty("content"))));
  }

  /** @throws NotFoundException for an unknown id */
  public StoredModelInfo get(String id) {
    return find(id).orElseThrow(() -> new NotFoundException("model", id));
  }

  /** All stored models, by id. */
  public List<StoredModelInfo> list() {
    List<StoredModelInfo> models = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(modelsDir)) {
      dirs.map(p -> p.getFileName().toString()).sorted().forEach(id -> find(id).ifPresent(models::add));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return models;
  }

  /** @throws NotFoundException for an unknown id */
  public void delete(String id) {
    get(id);
    // Rename first so a concurrent reader sees the model either whole or gone.
    Path trash = tmpDir.resolve("deleted-" + id + "-" + UUID.randomUUID());
    try {
      Files.move(modelsDir.resolve(id), trash, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(trash);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete model " + id, e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String extension(String filename) {
    String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot).toLowerCase(java.util.Locale.ROOT);
    return ext.matches("\\.[a-z0-9]{1,10}") ? ext : "";
  }
}
