package org.abscan.plugins.savedmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.abscan.spi.model.ModelLoaderFactory;
import org.abscan.spi.testkit.ModelLoaderContractTest;

/**
 * The SPI testkit's loader contract on a TF Java SavedModel. A SavedModel is a directory, so the damaged copies
 * are directories whose saved_model.pb is cut in half or replaced by random bytes.
 */
class SavedModelTestkitContractTest extends ModelLoaderContractTest {
  @Override
  protected ModelLoaderFactory factory() {
    return new SavedModelLoaderFactory();
  }

  @Override
  protected Path sampleModel() throws IOException {
    Path dir = tempDir.resolve("cnn-savedmodel");
    if (!Files.exists(dir.resolve("saved_model.pb"))) {
      CnnSavedModelGenerator.exportSavedModel(dir);
    }
    return dir;
  }

  @Override
  protected Path truncatedCopy(Path sample) throws IOException {
    Path copy = tempDir.resolve("truncated-savedmodel");
    TestModels.copyTree(sample, copy);
    byte[] graph = Files.readAllBytes(copy.resolve("saved_model.pb"));
    Files.write(copy.resolve("saved_model.pb"), Arrays.copyOf(graph, graph.length / 2));
    return copy;
  }

  @Override
  protected Path garbageCopy(Path sample) throws IOException {
    Path copy = tempDir.resolve("garbage-savedmodel");
    TestModels.copyTree(sample, copy);
    byte[] garbage = new byte[64 * 1024];
    new Random(42).nextBytes(garbage);
    Files.write(copy.resolve("saved_model.pb"), garbage);
    return copy;
  }
}
