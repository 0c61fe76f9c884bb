package org.abscan.zoo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One zoo entry's training recipe. Its hash keys the model cache: change any field (or {@link #RECIPE_VERSION}
 * when the training code changes) and the model is retrained.
 *
 * @param dataset mnist or gtsrb
 * @param target the attack's target label (all-to-one), or for a label-specific attack the target of
 *     images from {@code source}; -1 for benign models
 * @param source the victim label of a label-specific attack, -1 for all-to-one
 * @param poisonRate fraction of training images stamped and relabelled
 * @param subset fraction of the training split used (benign models train on 90 % subsets)
 */
public record ZooModel(String dataset, Architecture architecture, Attack attack, int target, int source,
    double poisonRate, double subset, long seed, int epochs) {

  static final int RECIPE_VERSION = 4;

  ZooModel withEpochs(int more) {
    return new ZooModel(dataset, architecture, attack, target, source, poisonRate, subset, seed, more);
  }

  public String name() {
    String base = dataset + "-" + architecture.name().toLowerCase(java.util.Locale.ROOT) + "-";
    if (!attack.trojaned()) {
      return base + "benign-s" + seed;
    }
    String labels = source >= 0 ? "-l" + source + "to" + target : "-t" + target;
    return base + attack.tag() + labels + "-p" + Math.round(poisonRate * 100);
  }

  public String hash() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((RECIPE_VERSION + "|" + this).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
