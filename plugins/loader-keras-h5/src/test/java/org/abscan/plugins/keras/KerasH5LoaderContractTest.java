package org.abscan.plugins.keras;

import java.nio.file.Path;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.testkit.ModelLoaderContractTest;

/** The SPI's loader contract, on the residual fixture (Functional, BN, depthwise, Add, Concatenate). */
class KerasH5LoaderContractTest extends ModelLoaderContractTest {
  @Override
  protected ModelLoaderFactory factory() {
    return new KerasH5LoaderFactory();
  }

  @Override
  protected Path sampleModel() {
    return Fixtures.path("functional_residual.h5");
  }
}
