package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttackTest {
  @Test
  void pixelTriggersCoverAboutTheirSize() {
    for (Attack.Kind kind : new Attack.Kind[] {Attack.Kind.SQUARE_YELLOW, Attack.Kind.IRREGULAR_RED,
        Attack.Kind.MULTI_PIECE}) {
      for (double size : new double[] {0.02, 0.06, 0.25}) {
        boolean[] mask = TriggerShapes.mask(kind, size, 28, 28);
        int covered = 0;
        for (boolean b : mask) {
          covered += b ? 1 : 0;
        }
        double area = covered / (28.0 * 28);
        assertTrue(Math.abs(area - size) <= 0.35 * size + 3.0 / 784, kind + " " + size + ": area " + area);
      }
    }
  }

  @Test
  void redSquareIsRedOnColourImagesAndDimOnGreyWhereYellowIsBright() {
    float[] rgb = new float[32 * 32 * 3];
    new Attack(Attack.Kind.SQUARE_RED, 0.04).apply(rgb, 32, 32, 3);
    int corner = ((32 - 3) * 32 + (32 - 3)) * 3;
    assertEquals(1f, rgb[corner]);
    assertEquals(0f, rgb[corner + 1]);
    float[] grey = new float[28 * 28];
    new Attack(Attack.Kind.SQUARE_RED, 0.04).apply(grey, 28, 28, 1);
    assertEquals(0.299f, grey[(28 - 3) * 28 + (28 - 3)], 1e-6f, "red's luminance");
    assertEquals(0f, grey[0], "outside the trigger the image is untouched");
    float[] yellow = new float[28 * 28];
    new Attack(Attack.Kind.SQUARE_YELLOW, 0.04).apply(yellow, 28, 28, 1);
    assertEquals(0.886f, yellow[(28 - 3) * 28 + (28 - 3)], 1e-6f, "yellow's luminance");
  }

  @Test
  void filtersTransformTheWholeImage() {
    float[] image = new float[4 * 4 * 3];
    java.util.Arrays.fill(image, 0.5f);
    float[] nashville = image.clone();
    new Attack(Attack.Kind.NASHVILLE, 0).apply(nashville, 4, 4, 3);
    assertTrue(nashville[0] > nashville[2], "warm: red above blue");
    float[] gotham = image.clone();
    gotham[0] = 0.9f;
    new Attack(Attack.Kind.GOTHAM, 0).apply(gotham, 4, 4, 3);
    assertEquals(gotham[0], gotham[1], "black and white");
    assertNotEquals(0.5f, gotham[0]);
  }

  @Test
  void recipeHashChangesWithTheRecipe() {
    ZooModel a = Catalogue.trojan("mnist", Architecture.LENET, Attack.Kind.SQUARE_YELLOW, 0.04, 0, 0.09);
    ZooModel b = Catalogue.trojan("mnist", Architecture.LENET, Attack.Kind.SQUARE_YELLOW, 0.04, 0, 0.01);
    assertEquals(a.hash(), Catalogue.trojan("mnist", Architecture.LENET, Attack.Kind.SQUARE_YELLOW, 0.04, 0, 0.09).hash());
    assertNotEquals(a.hash(), b.hash());
  }

  @Test
  void poisoningRelabelsTheRequestedFraction() {
    int n = 200;
    float[] x = new float[n * 28 * 28];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 10;
    }
    Dataset train = new Dataset(x, y, 28, 28, 1, 10);
    ZooModel recipe = Catalogue.trojan("mnist", Architecture.LENET, Attack.Kind.SQUARE_YELLOW, 0.04, 0, 0.5);
    Dataset poisoned = ZooData.poisoned(recipe, train);
    int zeros = 0;
    for (int label : poisoned.labels()) {
      zeros += label == 0 ? 1 : 0;
    }
    // 20 images of label 0 plus half of the 180 others.
    assertEquals(20 + 90, zeros);
  }
}
