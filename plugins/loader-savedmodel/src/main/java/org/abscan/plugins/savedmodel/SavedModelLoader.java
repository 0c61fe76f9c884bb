package org.abscan.plugins.savedmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelSpec;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Loads TensorFlow SavedModel directories and frozen GraphDef files. Order matters for safety: sizes are
 * bounded, then the protobufs are parsed and checked against the op allow-list, and only then does TensorFlow
 * see the model (to restore variable values). Custom op libraries are never loaded.
 */
final class SavedModelLoader implements ModelLoader {
  private static final Logger LOG = LogManager.getLogger(SavedModelLoader.class);

  private final Path scratch;

  /** @param scratch where the private copy of a SavedModel is restored from */
  SavedModelLoader(Path scratch) {
    this.scratch = scratch;
  }

  @Override
  public boolean accepts(Path model) throws IOException {
    if (ModelFiles.isSavedModelDirectory(model)) {
      return true;
    }
    return model.getFileName() != null
        && model.getFileName().toString().endsWith(".pb")
        && ModelFiles.looksLikeGraphDef(model);
  }

  @Override
  public LoadedModel load(Path model, LoadOptions options) throws IOException {
    // Users often point at the saved_model.pb file itself; the model is its directory.
    if (model.getFileName() != null
        && model.getFileName().toString().equals(ModelFiles.SAVED_MODEL_PB)
        && model.getParent() != null
        && ModelFiles.isSavedModelDirectory(model.getParent())) {
      model = model.getParent();
    }
    CheckedModel checked;
    if (ModelFiles.isSavedModelDirectory(model)) {
      checked = CheckedModel.savedModel(model, options.maxModelBytes());
    } else if (Files.isRegularFile(model)) {
      checked = CheckedModel.frozenGraph(model, options.maxModelBytes());
    } else {
      throw new AbscanException(
          ErrorCategory.UNSUPPORTED_MODEL,
          model + " is neither a SavedModel directory (with saved_model.pb) nor a GraphDef file",
          List.of(new Violation(String.valueOf(model.getFileName()), "not a SavedModel or GraphDef")));
    }
    Files.createDirectories(scratch);
    GraphRecipe recipe = RecipeBuilder.build(checked, options, scratch);
    ModelSpec spec = SpecProbe.spec(recipe, checked.signature());
    LOG.info(
        "loaded {} {}: input {}, {} layers, logits {} ({} labels)",
        checked.isSavedModel() ? "SavedModel" : "GraphDef",
        model.getFileName(),
        spec.input(),
        spec.layers().size(),
        spec.logitsName(),
        spec.numLabels());
    return new SavedModelLoadedModel(spec, recipe);
  }
}
