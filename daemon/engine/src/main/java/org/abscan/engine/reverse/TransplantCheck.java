package org.abscan.engine.reverse;

import java.util.ArrayList;
import java.util.List;
import org.abscan.engine.Cancellation;
import org.abscan.engine.SeedImages;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Section 6 for a masked trigger: is what the mask covers already present in benign images of the target label?
 * Each held-out image of another label gets, under the trigger's mask, the pixels of a benign target-label image
 * instead of the trigger's pattern; the share classified as the target is the transplant REASR. An injected patch
 * is absent from benign target images, so transplanting them flips little; a natural feature of the target label
 * (a stroke, a sign's symbol) flips about as much as the trigger did.
 */
final class TransplantCheck {
  private TransplantCheck() {}

  /** A benign image of some label: its pixels start at {@code offset} in {@code pixels}. */
  private record Donor(float[] pixels, int offset) {}

  /**
   * @param masks [T, H, W, 1] the triggers' masks in [0, 1]
   * @return [T] transplant REASR (0 for a trigger whose target label has no benign image)
   */
  static float[] reasr(TriggerGraph graph, float[] masks, SeedImages heldOut, SeedImages optimisation,
      List<TriggerGroup> groups, Cancellation cancellation) {
    float[] out = new float[groups.size()];
    for (int t = 0; t < groups.size(); t++) {
      int target = groups.get(t).targetLabel();
      List<Donor> donors = donors(target, optimisation, heldOut);
      float[] rows = donors.isEmpty() ? new float[0] : transplanted(masks, t, heldOut, target, donors);
      int count = rows.length / heldOut.imageSize();
      int flipped = 0;
      for (int start = 0; start < count; start += ReasrEvaluator.ROW_BUDGET) {
        cancellation.check();
        int m = Math.min(ReasrEvaluator.ROW_BUDGET, count - start);
        try (TFloat32 in = Tensors.images(rows, start, m, heldOut.height(), heldOut.width(), heldOut.channels());
            Result r = graph.session.runner().feed(graph.heldOut, in).fetch(graph.cleanPredictions).run()) {
          for (long label : Tensors.longs((TInt64) r.get(0))) {
            flipped += label == target ? 1 : 0;
          }
        }
      }
      out[t] = count == 0 ? 0f : (float) flipped / count;
    }
    return out;
  }

  /**
   * The held-out images of labels other than {@code target}, row-major, each with trigger {@code t}'s mask filled
   * from the next donor in turn.
   */
  private static float[] transplanted(float[] masks, int t, SeedImages heldOut, int target, List<Donor> donors) {
    int size = heldOut.imageSize();
    int area = heldOut.height() * heldOut.width();
    int c = heldOut.channels();
    int count = 0;
    for (int label : heldOut.labels()) {
      count += label != target ? 1 : 0;
    }
    float[] rows = new float[count * size];
    int row = 0;
    for (int j = 0; j < heldOut.count(); j++) {
      if (heldOut.labels()[j] == target) {
        continue;
      }
      Donor donor = donors.get(row % donors.size());
      for (int p = 0; p < area; p++) {
        float m = masks[t * area + p];
        for (int k = 0; k < c; k++) {
          float x = heldOut.pixels()[j * size + p * c + k];
          rows[row * size + p * c + k] = x + m * (donor.pixels()[donor.offset() + p * c + k] - x);
        }
      }
      row++;
    }
    return rows;
  }

  /** The benign images of {@code label}: the optimisation images' first, then the held-out ones'. */
  private static List<Donor> donors(int label, SeedImages optimisation, SeedImages heldOut) {
    List<Donor> donors = new ArrayList<>();
    for (SeedImages images : List.of(optimisation, heldOut)) {
      for (int j = 0; j < images.count(); j++) {
        if (images.labels()[j] == label) {
          donors.add(new Donor(images.pixels(), j * images.imageSize()));
        }
      }
    }
    return donors;
  }
}
