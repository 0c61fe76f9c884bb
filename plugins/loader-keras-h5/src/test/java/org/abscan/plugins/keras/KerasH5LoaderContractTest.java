package org.abscan.plugins.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.abscan.spi.Plugin;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.testkit.ModelLoaderContractTest;
import org.junit.jupiter.api.Test;

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

  @Test
  void pluginIsFoundByServiceLoaderUnderItsFormatName() {
    List<String> names = new ArrayList<>();
    for (Plugin plugin : ServiceLoader.load(Plugin.class)) {
      if (plugin instanceof KerasH5Plugin) {
        plugin.getModelLoaderFactories().forEach(f -> names.add(f.name()));
      }
    }
    assertEquals(List.of("keras-h5"), names);
  }
}
