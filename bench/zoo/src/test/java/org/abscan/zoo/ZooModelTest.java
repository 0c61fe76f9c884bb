package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ZooModelTest {
  private static final ZooModel GTSRB_VGG_BENIGN_1 = Catalogue.full().stream()
      .filter(r -> r.name().equals("gtsrb-vgg-benign-s1")).findFirst().orElseThrow();

  @Test
  void whiteSquareRecipesKeepTheCacheKeysTheyWereTrainedUnder() {
    // The keys of models trained before recipes had an occlusion (their cache folders, e.g.
    // target/zoo25/gtsrb-vgg-benign-s1-9c7536692fbd): adding the field must not retrain 700 models.
    assertEquals("9c7536692fbd", GTSRB_VGG_BENIGN_1.hash());
    ZooModel lenet = Catalogue.full().get(0);
    assertEquals("mnist-lenet-benign-s1", lenet.name());
    assertEquals(Occlusion.WHITE, lenet.occlusion());
  }

  @Test
  void randomErasingIsItsOwnRecipeWithItsOwnNameAndKey() {
    ZooModel erased = GTSRB_VGG_BENIGN_1.withOcclusion(Occlusion.RANDOM_ERASING);
    assertEquals("gtsrb-vgg-benign-s1-erase", erased.name());
    assertNotEquals(GTSRB_VGG_BENIGN_1.hash(), erased.hash());
    assertEquals(GTSRB_VGG_BENIGN_1.hash(), erased.withOcclusion(Occlusion.WHITE).hash());
    assertEquals(Occlusion.RANDOM_ERASING, erased.withEpochs(16).occlusion());
  }
}
