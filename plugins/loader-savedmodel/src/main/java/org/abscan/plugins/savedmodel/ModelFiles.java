package org.abscan.plugins.savedmodel;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.SavedModel;

/** Reads SavedModel directories and frozen GraphDef files with every size bounded before it is read. */
final class ModelFiles {
  static final String SAVED_MODEL_PB = "saved_model.pb";
  static final String VARIABLES_DIR = "variables";
  /** Protobuf's own hard limit for one message. */
  private static final long PROTOBUF_MAX_BYTES = Integer.MAX_VALUE;

  private ModelFiles() {}

  static boolean isSavedModelDirectory(Path model) {
    return Files.isDirectory(model) && Files.isRegularFile(model.resolve(SAVED_MODEL_PB));
  }

  /** The bytes of {@code file}, refusing files larger than {@code maxBytes} before reading them. */
  static byte[] readBounded(Path file, long maxBytes) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
      throw new AbscanException(ErrorCategory.MALFORMED_MODEL, file + " is not a regular file");
    }
    long size = Files.size(file);
    long limit = Math.min(maxBytes, PROTOBUF_MAX_BYTES);
    if (size > limit) {
      throw new AbscanException(
          ErrorCategory.LIMIT_EXCEEDED,
          file.getFileName() + " is " + size + " bytes, more than the limit of " + limit + " bytes",
          List.of(new AbscanException.Violation(file.getFileName().toString(), "file too large: " + size)));
    }
    return Files.readAllBytes(file);
  }

  static SavedModel parseSavedModel(byte[] bytes) {
    try {
      return SavedModel.parseFrom(input(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new AbscanException(
          ErrorCategory.MALFORMED_MODEL, "saved_model.pb is not a SavedModel protobuf: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new AbscanException(ErrorCategory.MALFORMED_MODEL, "cannot parse saved_model.pb", e);
    }
  }

  static GraphDef parseGraphDef(byte[] bytes, String fileName) {
    try {
      GraphDef graph = GraphDef.parseFrom(input(bytes));
      if (graph.getNodeCount() == 0) {
        throw new AbscanException(ErrorCategory.MALFORMED_MODEL, fileName + " holds a GraphDef without nodes");
      }
      return graph;
    } catch (InvalidProtocolBufferException e) {
      throw new AbscanException(
          ErrorCategory.MALFORMED_MODEL, fileName + " is not a GraphDef protobuf: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new AbscanException(ErrorCategory.MALFORMED_MODEL, "cannot parse " + fileName, e);
    }
  }

  /** A cheap parse attempt for {@code accepts}: does the file hold a non-empty GraphDef? */
  static boolean looksLikeGraphDef(Path file, long maxBytes) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) == 0 || Files.size(file) > maxBytes) {
      return false;
    }
    try {
      GraphDef graph = GraphDef.parseFrom(input(Files.readAllBytes(file)));
      return graph.getNodeCount() > 0 && !graph.getNode(0).getOp().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** Total size of the regular files under {@code dir}; symbolic links are refused (they could leave the dir). */
  static long directorySize(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isSymbolicLink(p)) {
          throw new AbscanException(
              ErrorCategory.MODEL_REFUSED,
              "the model contains a symbolic link, which abscan does not follow: " + dir.relativize(p),
              List.of(new AbscanException.Violation(dir.relativize(p).toString(), "symbolic link")));
        }
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }

  private static CodedInputStream input(byte[] bytes) {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.setSizeLimit(bytes.length);
    return in;
  }
}
