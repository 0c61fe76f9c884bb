package org.abscan.spi.model;

import java.util.Map;
import org.abscan.spi.PluginContext;

/** Creates {@link ModelLoader}s for one model format. Its {@link #name()} is the format name in requests. */
public interface ModelLoaderFactory {
  /** Format name, e.g. "keras-h5", "onnx", "savedmodel". */
  String name();

  /** One line for {@code abscan plugins}. */
  default String description() {
    return name();
  }

  /** A loader configured by {@code config} (loader-specific keys; unknown keys are an error). */
  ModelLoader create(Map<String, String> config, PluginContext context);
}
