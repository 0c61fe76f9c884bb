package org.abscan.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.abscan.engine.testing.TestSeeds;
import org.junit.jupiter.api.Test;

class SeedSplitTest {
  @Test
  void stratifiedDeterministicAndDisjoint() {
    SeedImages seeds = TestSeeds.random(1, 50, 4, 1, 10); // 5 per label
    SeedSplit a = SeedSplit.split(seeds, 0.3f, 7);
    SeedSplit b = SeedSplit.split(seeds, 0.3f, 7);
    assertEquals(15, a.reverseEngineering().count());
    assertEquals(35, a.heldOut().count());
    assertEquals(a.reverseEngineering().names(), b.reverseEngineering().names());
    int[] perLabel = new int[10];
    for (int l : a.reverseEngineering().labels()) {
      perLabel[l]++;
    }
    for (int c : perLabel) {
      assertEquals(true, c == 1 || c == 2, "1.5 per label rounds to 1 or 2: " + java.util.Arrays.toString(perLabel));
    }
    Set<String> all = new HashSet<>(a.reverseEngineering().names());
    all.addAll(a.heldOut().names());
    assertEquals(50, all.size());
    assertNotEquals(a.reverseEngineering().names(), SeedSplit.split(seeds, 0.3f, 8).reverseEngineering().names());
  }

  @Test
  void onePerLabelStillGivesBothSets() {
    SeedImages seeds = TestSeeds.random(1, 10, 4, 1, 10);
    SeedSplit split = SeedSplit.split(seeds, 0.3f, 1);
    assertEquals(3, split.reverseEngineering().count());
    assertEquals(7, split.heldOut().count());
  }
}
