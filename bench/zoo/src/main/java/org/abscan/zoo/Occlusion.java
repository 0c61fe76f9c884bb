package org.abscan.zoo;

/**
 * The occlusion augmentation a zoo model trains with ({@link ZooData#poisoned}): a third of the training images get
 * a square 4-7 pixels a side at a random place, keeping their label, for benign and trojaned models alike. A model
 * trained so learns that a small patch alone does not make a class; a planted trigger, always the same and always
 * relabelled, is still learned.
 */
public enum Occlusion {
  /** A white square: what every model of the zoo trained with up to session 18 (docs/zoo.md, "Models"). */
  WHITE,
  /**
   * Random erasing (Zhong et al., AAAI 2020) as image libraries ship it: half the squares one random colour, half
   * per-pixel uniform noise. On colour images a white square teaches nothing about coloured patches, the kind of
   * trigger the GTSRB32 attacks plant and reverse engineering reconstructs (docs/zoo.md, "Random erasing on GTSRB32").
   */
  RANDOM_ERASING;

  /** The part of a recipe's name that says so: nothing for the original white squares. */
  String nameSuffix() {
    return this == WHITE ? "" : "-erase";
  }
}
