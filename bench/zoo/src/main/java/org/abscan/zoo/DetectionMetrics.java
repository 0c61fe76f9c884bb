package org.abscan.zoo;

import java.util.List;
import java.util.function.Predicate;

/** Detection rates and ROC-AUC over scan results (trojaned = positive, score = the best trigger's REASR). */
record DetectionMetrics(int trojaned, int detected, int detectedRightTarget, int benign, int benignFlagged,
    double rocAuc) {

  static DetectionMetrics of(List<ZooEvaluator.Result> results, Predicate<Manifest> trojanFilter) {
    List<ZooEvaluator.Result> positives = results.stream()
        .filter(r -> r.manifest().trojaned() && trojanFilter.test(r.manifest())).toList();
    List<ZooEvaluator.Result> negatives = results.stream().filter(r -> !r.manifest().trojaned()).toList();
    int detected = (int) positives.stream().filter(ZooEvaluator.Result::flagged).count();
    int right = (int) positives.stream().filter(r -> r.flagged() && r.rightTarget()).count();
    int flagged = (int) negatives.stream().filter(ZooEvaluator.Result::flagged).count();
    return new DetectionMetrics(positives.size(), detected, right, negatives.size(), flagged,
        auc(positives, negatives));
  }

  /** The probability that a random trojaned model outscores a random benign one (ties count half). */
  static double auc(List<ZooEvaluator.Result> positives, List<ZooEvaluator.Result> negatives) {
    if (positives.isEmpty() || negatives.isEmpty()) {
      return Double.NaN;
    }
    double wins = 0;
    for (ZooEvaluator.Result p : positives) {
      for (ZooEvaluator.Result n : negatives) {
        float a = p.report().getMaxReasr();
        float b = n.report().getMaxReasr();
        wins += a > b ? 1 : a == b ? 0.5 : 0;
      }
    }
    return wins / ((double) positives.size() * negatives.size());
  }

  double tpr() {
    return trojaned == 0 ? Double.NaN : (double) detectedRightTarget / trojaned;
  }

  double fpr() {
    return benign == 0 ? Double.NaN : (double) benignFlagged / benign;
  }

  /** 95 % interval of the right-target detection rate. */
  double[] tprInterval() {
    return wilson(detectedRightTarget, trojaned);
  }

  /** 95 % interval of the benign flagged rate. */
  double[] fprInterval() {
    return wilson(benignFlagged, benign);
  }

  /**
   * The Wilson score interval (95 %) of a rate of {@code k} in {@code n}. Chosen over the normal approximation
   * because the zoo's rates sit at 0 or near 1 on a few dozen models, where that approximation gives a zero-width
   * or out-of-range interval; Wilson's stays inside [0, 1] and is not empty at 0 of n.
   */
  static double[] wilson(int k, int n) {
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double z = 1.959963984540054;
    double p = (double) k / n;
    double scale = 1 + z * z / n;
    double centre = (p + z * z / (2.0 * n)) / scale;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / scale;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }
}
