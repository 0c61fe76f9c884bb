package org.abscan.spi;

import java.util.List;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.trigger.TriggerApplierFactory;

/**
 * Entry point of an abscan plugin, found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/org.abscan.spi.Plugin}. A plugin contributes factories; every method has a default
 * so a plugin overrides only what it offers (the shape of Trino's {@code Plugin}).
 *
 * <p>Plugins run inside the daemon's JVM and share its TensorFlow classes: TF's native library loads once per
 * JVM, so a plugin must not bundle its own TensorFlow, protobuf or SPI classes (declare them {@code provided}).
 */
public interface Plugin {
  /** Model loaders: read a model file into a TensorFlow graph with addressable layers. */
  default Iterable<ModelLoaderFactory> getModelLoaderFactories() {
    return List.of();
  }

  /** Trigger appliers: the shapes a reverse-engineered trigger can take (pixel patch, filter, ...). */
  default Iterable<TriggerApplierFactory> getTriggerApplierFactories() {
    return List.of();
  }
}
