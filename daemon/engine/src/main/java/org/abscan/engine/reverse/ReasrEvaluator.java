package org.abscan.engine.reverse;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.abscan.engine.Cancellation;
import org.abscan.engine.SeedImages;
import org.abscan.proto.scan.v1.FeaturePresence;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * REASR (section 4.3): the share of held-out images whose true label differs from the target that a trigger
 * flips to the target; from the same runs, each trigger's neuron with and without the trigger
 * ({@link FeaturePresenceTally}). All triggers are evaluated together, the images fed in chunks so that one run
 * never holds more than {@link #ROW_BUDGET} stamped images.
 */
final class ReasrEvaluator {
  static final int ROW_BUDGET = 512;
  static final int STAMPED_PER_TRIGGER = 4;

  /**
   * @param reasr [T]
   * @param stamped per trigger, up to {@link #STAMPED_PER_TRIGGER} stamped held-out images as PNG (images of
   *     other labels than the target first, so the pictures show flips)
   * @param presence [T] each trigger's neuron on stamped images and on benign images of the target and other labels
   */
  record Evaluation(float[] reasr, List<List<ByteString>> stamped, List<FeaturePresence> presence) {}

  private ReasrEvaluator() {}

  /**
   * @param images the held-out images: REASR, stamped activations and clean activations
   * @param optimisation the optimisation images the graph was built on: their labels, for the clean activations
   *     {@link TriggerGraph#optimisationNeuron} holds (more benign images of each label)
   */
  static Evaluation evaluate(TriggerGraph graph, SeedImages images, SeedImages optimisation,
      List<TriggerGroup> groups, Cancellation cancellation) {
    int t = groups.size();
    int chunk = Math.max(1, Math.min(images.count(), ROW_BUDGET / t));
    int[] flipped = new int[t];
    int[] eligible = new int[t];
    FeaturePresenceTally tally =
        new FeaturePresenceTally(groups.stream().mapToInt(TriggerGroup::targetLabel).toArray());
    List<List<ByteString>> stamped = new ArrayList<>();
    for (int start = 0; start < images.count(); start += chunk) {
      cancellation.check();
      int m = Math.min(chunk, images.count() - start);
      boolean first = start == 0;
      try (TFloat32 in =
          Tensors.images(images.pixels(), start, m, images.height(), images.width(), images.channels())) {
        Session.Runner runner = graph.session.runner().feed(graph.heldOut, in).fetch(graph.heldOutPredictions)
            .fetch(graph.heldOutNeuron).fetch(graph.cleanNeuron);
        if (first) {
          runner.fetch(graph.heldOutStamped);
        }
        try (Result r = runner.run()) {
          long[] predictions = Tensors.longs((TInt64) r.get(0));
          tally.addStamped(Tensors.floats((TFloat32) r.get(1)), images, start, m);
          tally.addClean(Tensors.floats((TFloat32) r.get(2)), images, start, m);
          for (int i = 0; i < t; i++) {
            int target = groups.get(i).targetLabel();
            for (int j = 0; j < m; j++) {
              if (images.labels()[start + j] != target) {
                eligible[i]++;
                if (predictions[i * m + j] == target) {
                  flipped[i]++;
                }
              }
            }
          }
          if (first) {
            stamped = pictures(Tensors.floats((TFloat32) r.get(3)), images, groups, m);
          }
        }
      }
    }
    // The optimisation images' clean activations were computed once for the loss (CleanReference).
    tally.addClean(graph.optimisationNeuron, optimisation, 0, optimisation.count());
    float[] reasr = new float[t];
    List<FeaturePresence> presence = new ArrayList<>();
    for (int i = 0; i < t; i++) {
      reasr[i] = eligible[i] == 0 ? 0f : (float) flipped[i] / eligible[i];
      presence.add(tally.of(i));
    }
    return new Evaluation(reasr, stamped, presence);
  }

  private static List<List<ByteString>> pictures(
      float[] stamped, SeedImages images, List<TriggerGroup> groups, int m) {
    int imageSize = images.imageSize();
    List<List<ByteString>> out = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      int target = groups.get(i).targetLabel();
      List<Integer> chosen = new ArrayList<>();
      for (int pass = 0; pass < 2; pass++) {
        for (int j = 0; j < m && chosen.size() < STAMPED_PER_TRIGGER; j++) {
          boolean other = images.labels()[j] != target;
          if ((pass == 0) == other && !chosen.contains(j)) {
            chosen.add(j);
          }
        }
      }
      List<ByteString> pngs = new ArrayList<>();
      for (int j : chosen) {
        pngs.add(TriggerPictures.png(stamped, (i * m + j) * imageSize, images.height(), images.width(),
            images.channels()));
      }
      out.add(pngs);
    }
    return out;
  }
}
