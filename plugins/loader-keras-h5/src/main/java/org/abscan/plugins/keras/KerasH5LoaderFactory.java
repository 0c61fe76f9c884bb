package org.abscan.plugins.keras;

import java.util.List;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.PluginContext;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelLoaderFactory;

/** The "keras-h5" format. It has no configuration keys: everything it needs is in the file. */
public final class KerasH5LoaderFactory implements ModelLoaderFactory {
  public static final String NAME = KerasModelAssembler.FORMAT;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Keras 2.x full-model HDF5 (model.save(\"x.h5\")), Sequential and Functional, NHWC";
  }

  @Override
  public ModelLoader create(Map<String, String> config, PluginContext context) {
    if (!config.isEmpty()) {
      List<AbscanException.Violation> violations = config.keySet().stream()
          .sorted()
          .map(key -> new AbscanException.Violation(key, "unknown keras-h5 loader option (it takes none)"))
          .toList();
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT,
          "unknown keras-h5 loader option(s): " + String.join(", ", config.keySet().stream().sorted().toList()),
          violations);
    }
    return new KerasH5Loader();
  }
}
