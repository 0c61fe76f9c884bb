package org.abscan.plugins.savedmodel;

import java.util.List;
import org.abscan.spi.Plugin;
import org.abscan.spi.model.ModelLoaderFactory;

/** Contributes the "savedmodel" model loader. */
public final class SavedModelPlugin implements Plugin {
  @Override
  public Iterable<ModelLoaderFactory> getModelLoaderFactories() {
    return List.of(new SavedModelLoaderFactory());
  }
}
