package org.abscan.engine.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.abscan.engine.stimulation.NeuronNsf;

/**
 * Algorithm 1 (section 4.2), extended to the top {@code k} neurons. Each neuron's score is its top label
 * elevation minus the runner-up's (each label's elevation the minimum over images of other labels); within a
 * layer neurons rank by that score, and at most {@code perLayerCap} come from one layer.
 *
 * <p>Across layers raw scores are not comparable: setting a whole conv feature map moves the logits far more
 * than setting one dense neuron, so conv layers would take every slot (on the MNIST BadNets model the
 * compromised dense neurons never made the top 10). Layers are therefore merged by how far a neuron stands
 * out from its own layer: {@code (score - median) / (1.4826 * MAD)} over all neurons of the layer. The
 * reported score stays the raw one.
 *
 * <p>Neurons are offered one at a time as stimulation finishes them; per layer only the best
 * {@code min(topK, perLayerCap)} and every score (one float per neuron) are kept.
 */
public final class CandidateSelector {
  private static final Comparator<SelectedNeuron> WITHIN_LAYER = Comparator
      .comparingDouble((SelectedNeuron s) -> -sortable(s.score()))
      .thenComparingInt(SelectedNeuron::neuron);

  private final int topK;
  private final int perLayerCap;
  private final int[] trueLabels;
  private final Map<String, PriorityQueue<SelectedNeuron>> kept = new LinkedHashMap<>();
  private final Map<String, float[]> scores = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private int offered;

  /** @param trueLabels the seed images' labels, for each candidate's label-specific source label */
  public CandidateSelector(int topK, int perLayerCap, int[] trueLabels) {
    if (topK < 1 || perLayerCap < 1) {
      throw new IllegalArgumentException("topK and perLayerCap must be positive");
    }
    this.topK = topK;
    this.perLayerCap = perLayerCap;
    this.trueLabels = trueLabels.clone();
  }

  /** Number of neurons offered so far. */
  public int offered() {
    return offered;
  }

  public void offer(NeuronNsf nsf) {
    offered++;
    String layer = nsf.layer();
    int n = counts.merge(layer, 1, Integer::sum);
    float[] all = scores.computeIfAbsent(layer, k -> new float[16]);
    if (n > all.length) {
      all = Arrays.copyOf(all, all.length * 2);
      scores.put(layer, all);
    }
    all[n - 1] = nsf.score();
    // Worst first, so the head is what a better neuron evicts.
    PriorityQueue<SelectedNeuron> best = kept.computeIfAbsent(layer,
        k -> new PriorityQueue<>(WITHIN_LAYER.reversed()));
    int keep = Math.min(topK, perLayerCap);
    if (best.size() >= keep) {
      if (sortable(nsf.score()) <= sortable(best.peek().score())) {
        return; // later neurons lose ties, matching the order of a full sort
      }
      best.poll();
    }
    best.add(new SelectedNeuron(layer, nsf.neuron(), nsf.topLabel(), nsf.score(), nsf.peakValue(),
        nsf.aggregate(), nsf.bestSourceLabel(nsf.topLabel(), trueLabels)));
  }

  /** The candidates, best first: the {@code k} that stand out most in their layers, capped per layer. */
  public List<SelectedNeuron> select() {
    record Ranked(SelectedNeuron neuron, double standing, int layerOrder) {}
    List<Ranked> all = new ArrayList<>();
    int order = 0;
    for (Map.Entry<String, PriorityQueue<SelectedNeuron>> e : kept.entrySet()) {
      float[] layerScores = Arrays.copyOf(scores.get(e.getKey()), counts.get(e.getKey()));
      double[] robust = medianAndSpread(layerScores);
      for (SelectedNeuron s : e.getValue()) {
        all.add(new Ranked(s, (sortable(s.score()) - robust[0]) / robust[1], order));
      }
      order++;
    }
    all.sort(Comparator.comparingDouble((Ranked r) -> -r.standing)
        .thenComparingInt(Ranked::layerOrder)
        .thenComparingInt(r -> r.neuron.neuron()));
    return all.stream().limit(topK).map(Ranked::neuron).toList();
  }

  /** Median and 1.4826 * MAD of {@code scores} (MAD floored so a flat layer does not divide by zero). */
  static double[] medianAndSpread(float[] scores) {
    double[] s = new double[scores.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Double.isNaN(scores[i]) ? 0 : scores[i];
    }
    double median = median(s);
    double[] deviation = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      deviation[i] = Math.abs(s[i] - median);
    }
    double mad = 1.4826 * median(deviation);
    return new double[] {median, Math.max(mad, 1e-6 * (1 + Math.abs(median)))};
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static double sortable(float score) {
    return Float.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
  }
}
