package org.abscan.plugins.savedmodel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;

/**
 * A model file that has been read within the size limits, parsed, and passed {@link GraphSecurityCheck}.
 * Only instances of this class reach TensorFlow.
 *
 * @param graph the graph to scan
 * @param signature the serving signature, if the model has one
 * @param tags the meta graph's tags (SavedModel only; empty for a frozen GraphDef)
 * @param savedModelBytes the exact saved_model.pb bytes that were checked, or null for a frozen GraphDef
 * @param variablesDir the SavedModel's variables/ directory, or null
 */
record CheckedModel(
    GraphDef graph, Optional<SignatureDef> signature, List<String> tags, byte[] savedModelBytes, Path variablesDir) {
  static final String SERVE_TAG = "serve";
  static final String DEFAULT_SIGNATURE = "serving_default";
  private static final String INIT_SIGNATURE = "__saved_model_init_op";
  private static final List<String> LOAD_TIME_COLLECTIONS =
      List.of("saved_model_main_op", "legacy_init_op", "main_op", "init_op", "table_initializer");

  boolean isSavedModel() {
    return savedModelBytes != null;
  }

  /** Reads, bounds and checks a SavedModel directory. */
  static CheckedModel savedModel(Path dir, long maxBytes) throws java.io.IOException {
    Path graphFile = dir.resolve(ModelFiles.SAVED_MODEL_PB);
    if (Files.isSymbolicLink(graphFile)) {
      // A link inside an uploaded model could point anywhere on the server.
      throw new AbscanException(
          ErrorCategory.MODEL_REFUSED,
          "saved_model.pb is a symbolic link, which abscan does not follow",
          List.of(new Violation(ModelFiles.SAVED_MODEL_PB, "symbolic link")));
    }
    byte[] bytes = ModelFiles.readBounded(graphFile, maxBytes);
    Path variables = dir.resolve(ModelFiles.VARIABLES_DIR);
    long variablesSize = ModelFiles.directorySize(variables);
    if (bytes.length + variablesSize > maxBytes) {
      throw new AbscanException(
          ErrorCategory.LIMIT_EXCEEDED,
          "the SavedModel is " + (bytes.length + variablesSize) + " bytes, more than the limit of "
              + maxBytes,
          List.of(new Violation(ModelFiles.VARIABLES_DIR, variablesSize + " bytes of checkpoint")));
    }
    SavedModel model = ModelFiles.parseSavedModel(bytes);
    if (model.getMetaGraphsCount() == 0) {
      throw SavedModelErrors.malformed(ModelFiles.SAVED_MODEL_PB, "the SavedModel has no meta graph");
    }
    // Every meta graph is checked, not only the one scanned: the file as a whole is what the user uploaded.
    List<Violation> violations = new ArrayList<>();
    for (MetaGraphDef meta : model.getMetaGraphsList()) {
      String where = model.getMetaGraphsCount() > 1 ? "meta graph " + meta.getMetaInfoDef().getTagsList() : "";
      violations.addAll(
          GraphSecurityCheck.violations(
              meta.getGraphDef(), meta.hasSaverDef() ? meta.getSaverDef() : null, loadTimeRoots(meta), where));
    }
    GraphSecurityCheck.requireAllowed(violations, "the SavedModel " + dir.getFileName());
    MetaGraphDef meta = servingMetaGraph(model);
    return new CheckedModel(
        meta.getGraphDef(), signature(meta), meta.getMetaInfoDef().getTagsList(), bytes, variables);
  }

  /** Reads, bounds and checks a frozen GraphDef file. */
  static CheckedModel frozenGraph(Path file, long maxBytes) throws java.io.IOException {
    byte[] bytes = ModelFiles.readBounded(file, maxBytes);
    GraphDef graph = ModelFiles.parseGraphDef(bytes, file.getFileName().toString());
    GraphSecurityCheck.requireAllowed(
        GraphSecurityCheck.violations(graph, null, Set.of(), ""), "the GraphDef " + file.getFileName());
    return new CheckedModel(graph, Optional.empty(), List.of(), null, null);
  }

  /**
   * Nodes TensorFlow's SavedModel loader runs besides the restore op: the main / legacy init op collections
   * (TF 1) and the {@code __saved_model_init_op} signature (TF 2).
   */
  static Set<String> loadTimeRoots(MetaGraphDef meta) {
    Set<String> roots = new HashSet<>();
    for (String key : LOAD_TIME_COLLECTIONS) {
      CollectionDef collection = meta.getCollectionDefMap().get(key);
      if (collection != null) {
        roots.addAll(collection.getNodeList().getValueList());
      }
    }
    SignatureDef init = meta.getSignatureDefMap().get(INIT_SIGNATURE);
    if (init != null) {
      init.getOutputsMap().values().forEach(t -> roots.add(t.getName()));
    }
    return roots;
  }

  private static MetaGraphDef servingMetaGraph(SavedModel model) {
    if (model.getMetaGraphsCount() == 1) {
      return model.getMetaGraphs(0);
    }
    return model.getMetaGraphsList().stream()
        .filter(m -> m.getMetaInfoDef().getTagsList().contains(SERVE_TAG))
        .findFirst()
        .orElseThrow(
            () ->
                SavedModelErrors.of(
                    ErrorCategory.UNSUPPORTED_MODEL,
                    ModelFiles.SAVED_MODEL_PB,
                    "the SavedModel has " + model.getMetaGraphsCount()
                        + " meta graphs and none is tagged \"serve\"",
                    null));
  }

  private static Optional<SignatureDef> signature(MetaGraphDef meta) {
    if (meta.getSignatureDefMap().containsKey(DEFAULT_SIGNATURE)) {
      return Optional.of(meta.getSignatureDefMap().get(DEFAULT_SIGNATURE));
    }
    // "__saved_model_init_op" and friends are loader plumbing, not model signatures.
    List<SignatureDef> real =
        meta.getSignatureDefMap().entrySet().stream()
            .filter(e -> !e.getKey().startsWith("__"))
            .map(Map.Entry::getValue)
            .toList();
    return real.size() == 1 ? Optional.of(real.get(0)) : Optional.empty();
  }
}
