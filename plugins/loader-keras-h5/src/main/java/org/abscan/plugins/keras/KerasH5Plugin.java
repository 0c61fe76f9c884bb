package org.abscan.plugins.keras;

import java.util.List;
import org.abscan.spi.Plugin;
import org.abscan.spi.model.ModelLoaderFactory;

/** Registers the Keras HDF5 model loader. */
public final class KerasH5Plugin implements Plugin {
  @Override
  public Iterable<ModelLoaderFactory> getModelLoaderFactories() {
    return List.of(new KerasH5LoaderFactory());
  }
}
