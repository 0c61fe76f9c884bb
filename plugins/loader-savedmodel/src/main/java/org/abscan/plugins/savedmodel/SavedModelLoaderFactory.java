package org.abscan.plugins.savedmodel;

import java.nio.file.Path;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.PluginContext;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelLoaderFactory;

/** The "savedmodel" format: TensorFlow SavedModels and frozen GraphDefs. Takes no configuration keys. */
public final class SavedModelLoaderFactory implements ModelLoaderFactory {
  public static final String NAME = "savedmodel";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "TensorFlow SavedModel directories and frozen GraphDef (.pb) files, behind an op allow-list";
  }

  @Override
  public ModelLoader create(Map<String, String> config, PluginContext context) {
    if (!config.isEmpty()) {
      throw new AbscanException(
          ErrorCategory.INVALID_ARGUMENT,
          "the savedmodel loader takes no configuration, got " + config.keySet(),
          config.keySet().stream().map(k -> new Violation(k, "unknown configuration key")).toList());
    }
    Path scratch =
        context != null
            ? context.scratchDirectory().resolve(NAME)
            : Path.of(System.getProperty("java.io.tmpdir"), "abscan-" + NAME);
    return new SavedModelLoader(scratch);
  }
}
