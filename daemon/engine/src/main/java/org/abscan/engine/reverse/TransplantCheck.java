package org.abscan.engine.reverse;

import java.util.ArrayList;
import java.util.List;
import org.abscan.engine.Cancellation;
import org.abscan.engine.SeedImages;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
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

  /**
   * @param masks [T, H, W, 1] the triggers' masks in [0, 1]
   * @return [T] transplant REASR (0 for a trigger whose target label has no benign image)
   */
  static float[] reasr(TriggerGraph graph, float[] masks, SeedImages heldOut, SeedImages optimisation,
      List<TriggerGroup> groups, Cancellation cancellation) {
    int size = heldOut.imageSize();
    int area = heldOut.height() * heldOut.width();
    int c = heldOut.channels();
    float[] out = new float[groups.size()];
    for (int t = 0; t < groups.size(); t++) {
      int target = groups.get(t).targetLabel();
      List<float[]> donors = new ArrayList<>();
      for (SeedImages images : List.of(optimisation, heldOut)) {
        for (int j = 0; j < images.count(); j++) {
          if (images.labels()[j] == target) {
            float[] d = new float[size];
            System.arraycopy(images.pixels(), j * size, d, 0, size);
            donors.add(d);
          }
        }
      }
      List<float[]> rows = new ArrayList<>();
      for (int j = 0; j < heldOut.count() && !donors.isEmpty(); j++) {
        if (heldOut.labels()[j] == target) {
          continue;
        }
        float[] donor = donors.get(rows.size() % donors.size());
        float[] x = new float[size];
        for (int p = 0; p < area; p++) {
          float m = masks[t * area + p];
          for (int k = 0; k < c; k++) {
            int q = j * size + p * c + k;
            x[p * c + k] = heldOut.pixels()[q] + m * (donor[p * c + k] - heldOut.pixels()[q]);
          }
        }
        rows.add(x);
      }
      int flipped = 0;
      for (int start = 0; start < rows.size(); start += ReasrEvaluator.ROW_BUDGET) {
        cancellation.check();
        int m = Math.min(ReasrEvaluator.ROW_BUDGET, rows.size() - start);
        float[] pixels = new float[m * size];
        for (int k = 0; k < m; k++) {
          System.arraycopy(rows.get(start + k), 0, pixels, k * size, size);
        }
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(m, heldOut.height(), heldOut.width(), c),
                DataBuffers.of(pixels));
            Result r = graph.session.runner().feed(graph.heldOut, in).fetch(graph.cleanPredictions).run()) {
          for (long label : Tensors.longs((TInt64) r.get(0))) {
            flipped += label == target ? 1 : 0;
          }
        }
      }
      out[t] = rows.isEmpty() ? 0f : (float) flipped / rows.size();
    }
    return out;
  }
}
