package org.abscan.plugins.savedmodel;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads variable values out of a SavedModel that already passed {@link GraphSecurityCheck}, turning them into
 * constants. The SavedModel is loaded in a private graph and session that are closed before this returns.
 *
 * <p>TensorFlow re-reads saved_model.pb from disk, so the loader is pointed at a private copy holding the
 * exact bytes that were checked (and the checkpoint files): swapping the file after the check cannot smuggle
 * in another graph.
 */
final class VariableFreezer {
  private static final Logger LOG = LogManager.getLogger(VariableFreezer.class);

  private VariableFreezer() {}

  /**
   * The values of {@code nodeNames}' first outputs.
   *
   * @param checkedSavedModel the saved_model.pb bytes that passed the security check
   * @param variablesDir the model's variables/ directory (checkpoint files)
   * @param tags the tags of the meta graph that was checked
   * @param maxBytes bound on the total size of the values
   */
  static Map<String, TensorProto> freeze(
      byte[] checkedSavedModel,
      Path variablesDir,
      List<String> tags,
      Set<String> nodeNames,
      Path scratch,
      long maxBytes)
      throws IOException {
    if (nodeNames.isEmpty()) {
      return Map.of();
    }
    Path copy = Files.createTempDirectory(scratch, "savedmodel-");
    try {
      Files.write(copy.resolve(ModelFiles.SAVED_MODEL_PB), checkedSavedModel);
      copyVariables(variablesDir, copy.resolve(ModelFiles.VARIABLES_DIR));
      try (SavedModelBundle bundle =
          SavedModelBundle.loader(copy.toString()).withTags(tags.toArray(new String[0])).load()) {
        return fetch(bundle.session(), nodeNames, maxBytes);
      } catch (AbscanException e) {
        throw e;
      } catch (RuntimeException e) {
        throw SavedModelErrors.malformed(
            ModelFiles.VARIABLES_DIR, "TensorFlow could not restore the variables: " + e.getMessage(), e);
      }
    } finally {
      deleteRecursively(copy);
    }
  }

  private static Map<String, TensorProto> fetch(Session session, Set<String> nodeNames, long maxBytes) {
    Map<String, TensorProto> values = new HashMap<>();
    long total = 0;
    for (String name : nodeNames) {
      try (Result result = session.runner().fetch(name).run()) {
        Tensor tensor = result.get(0);
        total += tensor.numBytes();
        if (total > maxBytes) {
          throw new AbscanException(
              ErrorCategory.LIMIT_EXCEEDED,
              "the model's variables exceed the limit of " + maxBytes + " bytes",
              List.of(new Violation(name, "variable values beyond the size limit")));
        }
        values.put(name, toProto(name, tensor));
      }
    }
    LOG.debug("froze {} variables ({} bytes)", values.size(), total);
    return values;
  }

  private static TensorProto toProto(String name, Tensor tensor) {
    DataType type = tensor.dataType();
    if (type == DataType.DT_STRING || type == DataType.DT_RESOURCE || type == DataType.DT_VARIANT) {
      throw new AbscanException(
          ErrorCategory.UNSUPPORTED_MODEL,
          "variable " + name + " has type " + type + ", which cannot be frozen",
          List.of(new Violation(name, "variable of type " + type)));
    }
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : tensor.shape().asArray()) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    byte[] bytes = new byte[(int) tensor.numBytes()];
    tensor.asRawTensor().data().read(bytes);
    // TensorProto.tensor_content is little-endian, which is what the runtime holds on supported hosts.
    return TensorProto.newBuilder()
        .setDtype(type)
        .setTensorShape(shape)
        .setTensorContent(ByteString.copyFrom(bytes))
        .build();
  }

  private static void copyVariables(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file) && !Files.isSymbolicLink(file)) {
          Files.copy(file, to.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete scratch copy {}: {}", dir, e.getMessage());
    }
  }
}
