package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * End to end on the CI subset of the zoo: trains two trojaned models of different attack families (a patch
 * and a feature-space filter) and two benign ones from the real MNIST data, scans them through the embedded
 * daemon with the default settings, and checks verdicts and targets.
 */
class ZooCiTest {
  @Test
  void ciSubsetGetsTheRightVerdictsAndTargets() throws Exception {
    Path shared = Path.of(System.getProperty("abscan.shared", "../../../shared"));
    Assumptions.assumeTrue(Files.isDirectory(shared.resolve("data/mnist-t10k")),
        "../shared/data/mnist-t10k absent: the zoo trains on it");
    Path cache = Path.of("target/zoo-ci-test");
    ZooBuilder builder = new ZooBuilder(shared, cache);
    List<Manifest> manifests = new ArrayList<>();
    List<ZooModel> recipes = Catalogue.ci();
    assertTrue(recipes.stream().filter(r -> r.attack().trojaned()).map(r -> r.attack().space()).distinct().count() >= 2,
        "the CI subset covers pixel-space and feature-space attacks");
    assertTrue(recipes.stream().filter(r -> !r.attack().trojaned()).count() >= 2, "two benign models at least");
    for (ZooModel recipe : recipes) {
      Manifest m = builder.build(recipe);
      assertTrue(m.cleanAccuracy() > 0.95, m.name() + " clean accuracy " + m.cleanAccuracy());
      assertTrue(m.accepted(), m.name() + " attack success " + m.attackSuccess());
      manifests.add(m);
    }
    try (ZooEvaluator evaluator = new ZooEvaluator(builder)) {
      List<ZooEvaluator.Result> results = evaluator.scanAll(manifests);
      assertEquals(manifests.size(), results.size(), "every CI model was scanned");
      for (ZooEvaluator.Result r : results) {
        String what = r.manifest().name() + ": " + r.report().getVerdict() + " target "
            + (r.report().hasTargetLabel() ? r.report().getTargetLabel() : "-") + " REASR " + r.report().getMaxReasr();
        if (r.manifest().trojaned()) {
          assertTrue(r.flagged(), what);
          assertEquals(r.manifest().target(), r.report().getTargetLabel(), what);
        } else {
          assertFalse(r.flagged(), what);
        }
      }
    }
  }
}
