package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooBuilderTest {
  @Test
  void aCopiedCacheServesItsOwnModelsNotTheOnesItWasCopiedFrom(@TempDir Path temp) throws IOException {
    ZooModel recipe = Catalogue.ci().get(2);
    Path original = temp.resolve("original");
    Path copy = temp.resolve("copy");
    Manifest trained = new Manifest(recipe.name(), recipe.hash(), "mnist", "lenet", "none", "", "", -1, -1, 0,
        0, 0.9, recipe.seed(), recipe.epochs(), 0.97, null, 3.0, true,
        new ZooBuilder(temp.resolve("no-shared-data"), original).directory(recipe).resolve("model.pb").toString());
    Path copied = new ZooBuilder(temp.resolve("no-shared-data"), copy).directory(recipe);
    Files.createDirectories(copied);
    trained.write(copied.resolve("manifest.json"));

    // A cached manifest is read, never retrained (there is no data to train from here).
    Manifest read = new ZooBuilder(temp.resolve("no-shared-data"), copy).build(recipe);
    assertEquals(copied.resolve("model.pb").toString(), read.model());
    assertEquals(trained.withModel(read.model()), read);
  }
}
