package org.abscan.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Splits the seed images into the reverse-engineering set (about {@code fraction} of them) and the held-out
 * set REASR is measured on: stratified per label, deterministic for a seed. Labels with few images still
 * contribute: the per-label shares are rounded so the total is {@code round(count * fraction)} (at least one
 * image on each side when there are two or more images), largest remainders first, ties broken by the seed.
 */
public record SeedSplit(SeedImages reverseEngineering, SeedImages heldOut) {

  public static SeedSplit split(SeedImages seeds, float fraction, long seed) {
    int n = seeds.count();
    if (n < 2) {
      return new SeedSplit(seeds, seeds);
    }
    Random random = new Random(seed);
    Map<Integer, List<Integer>> byLabel = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      byLabel.computeIfAbsent(seeds.labels()[i], k -> new ArrayList<>()).add(i);
    }
    List<Integer> labels = new ArrayList<>(byLabel.keySet());
    Map<Integer, Integer> take = new TreeMap<>();
    int total = Math.max(1, Math.min(n - 1, Math.round(n * fraction)));
    int assigned = 0;
    for (int label : labels) {
      List<Integer> images = byLabel.get(label);
      Collections.shuffle(images, random);
      int share = (int) Math.floor(images.size() * fraction);
      take.put(label, share);
      assigned += share;
    }
    // Hand out the rest by largest remainder; a seeded shuffle first makes ties deterministic but fair.
    List<Integer> order = new ArrayList<>(labels);
    Collections.shuffle(order, random);
    order.sort(Comparator.comparingDouble((Integer l) -> {
      double ideal = byLabel.get(l).size() * (double) fraction;
      return -(ideal - Math.floor(ideal));
    }));
    for (int i = 0; assigned < total && i < order.size() * 2; i++) {
      int label = order.get(i % order.size());
      if (take.get(label) < byLabel.get(label).size()) {
        take.merge(label, 1, Integer::sum);
        assigned++;
      }
    }
    List<Integer> re = new ArrayList<>();
    List<Integer> held = new ArrayList<>();
    for (int label : labels) {
      List<Integer> images = byLabel.get(label);
      int k = take.get(label);
      re.addAll(images.subList(0, k));
      held.addAll(images.subList(k, images.size()));
    }
    Collections.sort(re);
    Collections.sort(held);
    return new SeedSplit(subset(seeds, re), subset(seeds, held));
  }

  /**
   * This split restricted to images of {@code label} (label-specific triggers); when either side has none of
   * them, all of {@code seeds}' images of that label serve both sides.
   */
  public SeedSplit ofLabel(int label, SeedImages seeds) {
    SeedImages re = only(reverseEngineering, label);
    SeedImages held = only(heldOut, label);
    if (re.count() == 0 || held.count() == 0) {
      SeedImages all = only(seeds, label);
      return new SeedSplit(all, all);
    }
    return new SeedSplit(re, held);
  }

  private static SeedImages only(SeedImages images, int label) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < images.count(); i++) {
      if (images.labels()[i] == label) {
        keep.add(i);
      }
    }
    return subset(images, keep);
  }

  /** The images at {@code indices}, in that order. */
  public static SeedImages subset(SeedImages seeds, List<Integer> indices) {
    int size = seeds.imageSize();
    float[] pixels = new float[indices.size() * size];
    int[] labels = new int[indices.size()];
    List<String> names = new ArrayList<>();
    for (int k = 0; k < indices.size(); k++) {
      int i = indices.get(k);
      System.arraycopy(seeds.pixels(), i * size, pixels, k * size, size);
      labels[k] = seeds.labels()[i];
      names.add(seeds.names().get(i));
    }
    return new SeedImages(pixels, indices.size(), seeds.height(), seeds.width(), seeds.channels(), labels,
        names);
  }
}
