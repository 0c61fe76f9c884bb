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
 * @param occlusion the occlusion augmentation it trains with
 */
public record ZooModel(String dataset, Architecture architecture, Attack attack, int target, int source,
    double poisonRate, double subset, long seed, int epochs, Occlusion occlusion) {

  static final int RECIPE_VERSION = 4;

  /** A recipe with the white-square occlusion every set up to holdout 13 trains with. */
  public ZooModel(String dataset, Architecture architecture, Attack attack, int target, int source,
      double poisonRate, double subset, long seed, int epochs) {
    this(dataset, architecture, attack, target, source, poisonRate, subset, seed, epochs, Occlusion.WHITE);
  }

  ZooModel withEpochs(int more) {
    return new ZooModel(dataset, architecture, attack, target, source, poisonRate, subset, seed, more, occlusion);
  }

  ZooModel withOcclusion(Occlusion other) {
    return new ZooModel(dataset, architecture, attack, target, source, poisonRate, subset, seed, epochs, other);
  }

  public String name() {
    String base = dataset + "-" + architecture.name().toLowerCase(java.util.Locale.ROOT) + "-";
    if (!attack.trojaned()) {
      return base + "benign-s" + seed + occlusion.nameSuffix();
    }
    String labels = source >= 0 ? "-l" + source + "to" + target : "-t" + target;
    return base + attack.tag() + labels + "-p" + Math.round(poisonRate * 100) + occlusion.nameSuffix();
  }

  public String hash() {
    // The recipe as the record printed it before it had an occlusion, so the white-square models trained up to
    // session 18 keep their cache keys; another occlusion is appended.
    String recipe = String.format("ZooModel[dataset=%s, architecture=%s, attack=%s, target=%d, source=%d, "
        + "poisonRate=%s, subset=%s, seed=%d, epochs=%d]", dataset, architecture, attack, target, source, poisonRate,
        subset, seed, epochs) + (occlusion == Occlusion.WHITE ? "" : "|occlusion=" + occlusion);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((RECIPE_VERSION + "|" + recipe).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
