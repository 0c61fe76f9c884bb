package org.abscan.plugins.onnx;

import java.nio.file.Path;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.testkit.ModelLoaderContractTest;

/** The SPI testkit's loader contract on a PyTorch export with BatchNorm (NCHW input, fixed opset 17). */
class OnnxTestkitContractTest extends ModelLoaderContractTest {
  @Override
  protected ModelLoaderFactory factory() {
    return new OnnxLoaderFactory();
  }

  @Override
  protected Path sampleModel() {
    return Fixture.resource("bn-op17.onnx");
  }
}
