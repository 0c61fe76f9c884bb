package org.abscan.zoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogueTest {
  @Test
  void theValidationSetSharesNoModelWithTheZooItChecks() {
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (ZooModel m : concat(Catalogue.full(), Catalogue.sizeSweep())) {
      names.add(m.name());
      hashes.add(m.hash());
    }
    List<ZooModel> validation = Catalogue.validation();
    for (ZooModel m : validation) {
      assertTrue(!names.contains(m.name()) && !hashes.contains(m.hash()), m.name() + " is also in the full zoo");
    }
    assertTrue(validation.stream().anyMatch(m -> m.attack().trojaned() && m.dataset().equals("gtsrb")));
    assertTrue(validation.stream().anyMatch(m -> !m.attack().trojaned() && m.dataset().equals("gtsrb")));
    assertTrue(validation.stream().filter(m -> !m.attack().trojaned()).count() >= 8, "benign models");
  }

  private static List<ZooModel> concat(List<ZooModel> a, List<ZooModel> b) {
    List<ZooModel> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
