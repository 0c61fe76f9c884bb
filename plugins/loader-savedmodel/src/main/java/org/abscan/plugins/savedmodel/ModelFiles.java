package org.abscan.plugins.savedmodel;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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
  private static final int SNIFF_BYTES = 64 * 1024;
  /** Field 1, length-delimited: GraphDef.node and NodeDef.name. */
  private static final int NODE_FIELD_TAG = (1 << 3) | 2;
  private static final int NODE_NAME_TAG = (1 << 3) | 2;
  /** Field 2, length-delimited: NodeDef.op. */
  private static final int NODE_OP_TAG = (2 << 3) | 2;
  private static final java.util.regex.Pattern OP_NAME = java.util.regex.Pattern.compile("[A-Z][A-Za-z0-9_]*");
  /** Protobuf's own hard limit for one message. */
  private static final long PROTOBUF_MAX_BYTES = Integer.MAX_VALUE;

  private ModelFiles() {}

  static boolean isSavedModelDirectory(Path model) {
    return Files.isDirectory(model) && Files.isRegularFile(model.resolve(SAVED_MODEL_PB));
  }

  /** The bytes of {@code file}, refusing files larger than {@code maxBytes} before reading them. */
  static byte[] readBounded(Path file, long maxBytes) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw SavedModelErrors.malformed(String.valueOf(file.getFileName()), file + " is not a regular file");
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
      throw SavedModelErrors.malformed(
          SAVED_MODEL_PB, "saved_model.pb is not a SavedModel protobuf: " + e.getMessage(), e);
    } catch (IOException e) {
      throw SavedModelErrors.malformed(SAVED_MODEL_PB, "cannot parse saved_model.pb", e);
    }
  }

  static GraphDef parseGraphDef(byte[] bytes, String fileName) {
    try {
      GraphDef graph = GraphDef.parseFrom(input(bytes));
      if (graph.getNodeCount() == 0) {
        throw SavedModelErrors.malformed(fileName, fileName + " holds a GraphDef without nodes");
      }
      return graph;
    } catch (InvalidProtocolBufferException e) {
      throw SavedModelErrors.malformed(fileName, fileName + " is not a GraphDef protobuf: " + e.getMessage(), e);
    } catch (IOException e) {
      throw SavedModelErrors.malformed(fileName, "cannot parse " + fileName, e);
    }
  }

  /**
   * A cheap sniff for {@code accepts}: reads at most {@link #SNIFF_BYTES} and checks that the file starts the
   * way a serialized GraphDef does: field 1 (a NodeDef) whose name and op fields, which protobuf writes first,
   * hold an op-like name. A full parse happens in {@code load}, under the size limit.
   */
  static boolean looksLikeGraphDef(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      return false;
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(SNIFF_BYTES);
    }
    try {
      CodedInputStream in = CodedInputStream.newInstance(head);
      if (in.readTag() != NODE_FIELD_TAG || in.readRawVarint32() <= 0) {
        return false;
      }
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if (tag == NODE_NAME_TAG) {
          in.readStringRequireUtf8();
        } else if (tag == NODE_OP_TAG) {
          return OP_NAME.matcher(in.readStringRequireUtf8()).matches();
        } else {
          return false;
        }
      }
      return false;
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
