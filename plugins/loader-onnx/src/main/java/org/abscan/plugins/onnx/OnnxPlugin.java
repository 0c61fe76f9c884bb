package org.abscan.plugins.onnx;

import java.util.List;
import org.abscan.spi.Plugin;
import org.abscan.spi.model.ModelLoaderFactory;

/** The onnx model-loader plugin (registered in META-INF/services/org.abscan.spi.Plugin). */
public final class OnnxPlugin implements Plugin {
  @Override
  public Iterable<ModelLoaderFactory> getModelLoaderFactories() {
    return List.of(new OnnxLoaderFactory());
  }
}
