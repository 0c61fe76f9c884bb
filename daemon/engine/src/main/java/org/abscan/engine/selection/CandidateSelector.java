package org.abscan.engine.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
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
 * <p>With a per-label cap a second, label-capped selection is made: at most {@code perLabelCap} candidates share a
 * target label, so the next best neuron of another label takes the place of one more for a label that already has
 * its share. It either replaces the top {@code k} or is added to it (up to {@code 2k} candidates): replacing gives
 * other labels a place but takes the retries of a label whose first neurons' triggers fall short (docs/zoo.md, "A
 * cap per label as the default"); adding keeps both. Each candidate records which selection chose it.
 *
 * <p>An added label-capped selection ignores the per-layer cap: the top {@code k} already spreads over layers, and
 * with both caps four of five of the capped selection's picks on the model zoo were the top k's own. On a LeNet-like
 * model one dense layer holds the neurons that stand out most for five labels; its five places went to them in both
 * selections, and a trojan's neuron, ranked ninth and the best of its label, was in neither. Without the layer cap
 * that trojan is found and another, whose neurons ranked eleventh and twelfth, is lost to dense neurons ranked above
 * them (docs/zoo.md, "The label cap across layers").
 *
 * <p>With a label cover a third selection gives each label that the other two leave without a candidate its best
 * neuron (by how far it stands out from its layer), for at most {@code labelCover} such labels, those whose best
 * neurons stand out most first. On the model zoo six trojans were missed only because no candidate had their target:
 * a planted feature need not stand out more than the natural features of the labels the first two selections cover
 * (docs/zoo.md, "Every label a candidate"). Like the added label cap it ignores the per-layer cap.
 *
 * <p>Neurons are offered one at a time as stimulation finishes them; per layer (per layer and label with a label
 * cap or a label cover) only the best {@code min(topK, perLayerCap)} (with an added cap, at least
 * {@code min(topK, perLabelCap)}) and every score (one float per neuron) are kept. Any neuron a selection could
 * pick is among those: it is among the best of its layer and label.
 */
public final class CandidateSelector {
  private static final Comparator<SelectedNeuron> WITHIN_LAYER = Comparator
      .comparingDouble((SelectedNeuron s) -> -sortable(s.score()))
      .thenComparingInt(SelectedNeuron::neuron);

  private final int topK;
  private final int perLayerCap;
  /** 0: no cap. */
  private final int perLabelCap;
  /** Whether the label-capped selection is added to the top k (else it replaces it). */
  private final boolean capAdds;
  /** At most this many labels left without a candidate get their best neuron; 0: none. */
  private final int labelCover;
  /** How many neurons each group of {@link #kept} holds: as many as either ranking could ever select from it. */
  private final int keepPerGroup;
  private final int[] trueLabels;
  /** The best neurons per layer, or per layer and label with a label cap (key "layer" or "layer\0label"). */
  private final Map<String, PriorityQueue<SelectedNeuron>> kept = new LinkedHashMap<>();
  private final Map<String, float[]> scores = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private int offered;

  /** @param trueLabels the seed images' labels, for each candidate's label-specific source label */
  public CandidateSelector(int topK, int perLayerCap, int[] trueLabels) {
    this(topK, perLayerCap, 0, trueLabels);
  }

  /** @param perLabelCap at most this many candidates per target label, replacing the top k; 0: no cap */
  public CandidateSelector(int topK, int perLayerCap, int perLabelCap, int[] trueLabels) {
    this(topK, perLayerCap, perLabelCap, false, trueLabels);
  }

  /**
   * @param perLabelCap at most this many candidates per target label in the label-capped selection; 0: none
   * @param capAdds whether the label-capped selection is added to the top k (true) or replaces it
   */
  public CandidateSelector(int topK, int perLayerCap, int perLabelCap, boolean capAdds, int[] trueLabels) {
    this(topK, perLayerCap, perLabelCap, capAdds, 0, trueLabels);
  }

  /**
   * @param perLabelCap at most this many candidates per target label in the label-capped selection; 0: none
   * @param capAdds whether the label-capped selection is added to the top k (true) or replaces it
   * @param labelCover at most this many labels the other selections leave out get their best neuron; 0: none
   */
  public CandidateSelector(int topK, int perLayerCap, int perLabelCap, boolean capAdds, int labelCover,
      int[] trueLabels) {
    if (topK < 1 || perLayerCap < 1 || perLabelCap < 0 || labelCover < 0) {
      throw new IllegalArgumentException(
          "topK and perLayerCap must be positive, perLabelCap and labelCover not negative");
    }
    this.topK = topK;
    this.perLayerCap = perLayerCap;
    this.perLabelCap = perLabelCap;
    this.capAdds = capAdds;
    this.labelCover = labelCover;
    // An added label-capped selection may take up to perLabelCap neurons of one layer and label.
    this.keepPerGroup = Math.max(Math.min(topK, perLayerCap), capAdds ? Math.min(topK, perLabelCap) : 0);
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
    String group = perLabelCap == 0 && labelCover == 0 ? layer : layer + '\0' + nsf.topLabel();
    PriorityQueue<SelectedNeuron> best = kept.computeIfAbsent(group,
        k -> new PriorityQueue<>(WITHIN_LAYER.reversed()));
    if (best.size() >= keepPerGroup) {
      if (sortable(nsf.score()) <= sortable(best.peek().score())) {
        return; // later neurons lose ties, matching the order of a full sort
      }
      best.poll();
    }
    best.add(new SelectedNeuron(layer, nsf.neuron(), nsf.topLabel(), nsf.score(), nsf.peakValue(),
        nsf.aggregate(), nsf.bestSourceLabel(nsf.topLabel(), trueLabels)));
  }

  /**
   * The candidates, best first: the {@code k} that stand out most in their layers, capped per layer; with a label
   * cap, the label-capped selection's too (or instead); with a label cover, the best neuron of each label left out;
   * each marked with the selection(s) that chose it.
   */
  public List<SelectedNeuron> select() {
    List<SelectedNeuron> ranked = ranked();
    Set<SelectedNeuron> byTopK = greedy(ranked, perLayerCap, 0);
    Set<SelectedNeuron> byLabelCap = perLabelCap == 0 ? Set.of()
        : greedy(ranked, capAdds ? Integer.MAX_VALUE : perLayerCap, perLabelCap);
    // Without a cap the top k alone; a replacing cap its own selection; an added one both.
    Set<SelectedNeuron> byBoth = Collections.newSetFromMap(new IdentityHashMap<>());
    byBoth.addAll(perLabelCap == 0 || capAdds ? byTopK : Set.of());
    byBoth.addAll(byLabelCap);
    Set<Integer> covered = new HashSet<>();
    byBoth.forEach(s -> covered.add(s.targetLabel()));
    Set<SelectedNeuron> byCover = cover(ranked, covered);
    List<SelectedNeuron> chosen = new ArrayList<>();
    for (SelectedNeuron s : ranked) {
      if (byBoth.contains(s) || byCover.contains(s)) {
        chosen.add(s.selectedBy(byTopK.contains(s), byLabelCap.contains(s), byCover.contains(s)));
      }
    }
    return chosen;
  }

  /** The first neuron of {@code ranked} of each label not {@code covered}, for the first {@code labelCover}. */
  private Set<SelectedNeuron> cover(List<SelectedNeuron> ranked, Set<Integer> covered) {
    Set<Integer> labels = new HashSet<>(covered);
    Set<SelectedNeuron> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SelectedNeuron s : ranked) {
      if (chosen.size() == labelCover) {
        break;
      }
      if (labels.add(s.targetLabel())) {
        chosen.add(s);
      }
    }
    return chosen;
  }

  /** Every kept neuron, by how far it stands out from its own layer (ties: layer order, then neuron). */
  private List<SelectedNeuron> ranked() {
    record Ranked(SelectedNeuron neuron, double standing, int layerOrder) {}
    Map<String, double[]> robust = new LinkedHashMap<>();
    Map<String, Integer> layerOrder = new LinkedHashMap<>();
    for (String layer : scores.keySet()) {
      robust.put(layer, medianAndSpread(Arrays.copyOf(scores.get(layer), counts.get(layer))));
      layerOrder.put(layer, layerOrder.size());
    }
    List<Ranked> all = new ArrayList<>();
    for (PriorityQueue<SelectedNeuron> group : kept.values()) {
      for (SelectedNeuron s : group) {
        double[] r = robust.get(s.layer());
        all.add(new Ranked(s, (sortable(s.score()) - r[0]) / r[1], layerOrder.get(s.layer())));
      }
    }
    all.sort(Comparator.comparingDouble((Ranked r) -> -r.standing)
        .thenComparingInt(Ranked::layerOrder)
        .thenComparingInt(r -> r.neuron.neuron()));
    return all.stream().map(Ranked::neuron).toList();
  }

  /** The first {@code topK} of {@code ranked} that fit {@code layerCap} and, if not 0, {@code labelCap}. */
  private Set<SelectedNeuron> greedy(List<SelectedNeuron> ranked, int layerCap, int labelCap) {
    Map<String, Integer> perLayer = new HashMap<>();
    Map<Integer, Integer> perLabel = new HashMap<>();
    Set<SelectedNeuron> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SelectedNeuron s : ranked) {
      if (chosen.size() == topK) {
        break;
      }
      boolean layerFull = perLayer.getOrDefault(s.layer(), 0) >= layerCap;
      boolean labelFull = labelCap > 0 && perLabel.getOrDefault(s.targetLabel(), 0) >= labelCap;
      if (!layerFull && !labelFull) {
        chosen.add(s);
        perLayer.merge(s.layer(), 1, Integer::sum);
        perLabel.merge(s.targetLabel(), 1, Integer::sum);
      }
    }
    return chosen;
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
