package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  private static Manifest trained(ZooModel recipe, double accuracy, Double attackSuccess, boolean accepted,
      Path dir) {
    return new Manifest(recipe.name(), recipe.hash(), recipe.dataset(), "lenet", "none", "", "", -1, -1, 0, 0,
        0.9, recipe.seed(), recipe.epochs(), accuracy, attackSuccess, 3.0, accepted,
        dir.resolve("model.pb").toString());
  }

  @Test
  void theBarIsCleanAccuracyForEveryModelAndAttackSuccessForTrojans() {
    ZooModel recipe = Catalogue.ci().get(2);
    Path dir = Path.of("unused");
    assertNull(ZooBuilder.shortfall(trained(recipe, 0.97, null, true, dir)));
    assertNull(ZooBuilder.shortfall(trained(recipe, 0.70, 0.90, true, dir)));
    assertEquals("clean accuracy 43.00 % < 70.00 %", ZooBuilder.shortfall(trained(recipe, 0.43, null, true, dir)));
    assertTrue(ZooBuilder.shortfall(trained(recipe, 0.97, 0.47, true, dir)).startsWith("attack success 47.00 %"));
  }

  @Test
  void aCachedModelBelowTheBarIsNotServedAsAccepted(@TempDir Path temp) throws IOException {
    ZooModel recipe = Catalogue.ci().get(2);
    ZooBuilder builder = new ZooBuilder(temp.resolve("no-shared-data"), temp.resolve("cache"));
    // Both the recipe and its retraining with twice the epochs are cached below the bar, though the first was
    // accepted when it was trained (before the clean-accuracy bar): neither is served as accepted.
    for (ZooModel r : new ZooModel[] {recipe, recipe.withEpochs(2 * recipe.epochs())}) {
      Path dir = builder.directory(r);
      Files.createDirectories(dir);
      trained(r, 0.43, null, true, dir).write(dir.resolve("manifest.json"));
    }
    Manifest built = builder.build(recipe);
    assertFalse(built.accepted());
    assertEquals(2 * recipe.epochs(), built.epochs());
  }
}
