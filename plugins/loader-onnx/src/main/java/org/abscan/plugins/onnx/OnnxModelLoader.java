package org.abscan.plugins.onnx;

import java.io.IOException;
import java.nio.file.Path;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.abscan.spi.model.ModelLoader;

/** Loads .onnx files: read and validate, plan layers, then fold and probe-build once (see OnnxLoadedModel). */
final class OnnxModelLoader implements ModelLoader {
  private final OnnxSniffer sniffer = new OnnxSniffer();

  @Override
  public boolean accepts(Path model) throws IOException {
    return sniffer.looksLikeOnnx(model);
  }

  @Override
  public LoadedModel load(Path model, LoadOptions options) throws IOException {
    OnnxModel parsed = new OnnxModelReader().read(model, options.maxModelBytes());
    LayerPlanner.Plan plan = new LayerPlanner(parsed).plan(options.layerTensors());
    return new OnnxLoadedModel(parsed, plan);
  }
}
