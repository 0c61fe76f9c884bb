package org.abscan.engine.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.abscan.engine.stimulation.NeuronNsf;

/**
 * Algorithm 1 (section 4.2), extended to the top {@code k} neurons: neurons are ranked by their score (top
 * label elevation minus the runner-up's, each label's elevation the minimum over images of other labels), and
 * at most {@code perLayerCap} come from one layer so a single layer cannot take every slot.
 *
 * <p>Neurons are offered one at a time as stimulation finishes them; only each layer's best {@code topK} are
 * kept (no more can be selected from one layer), so memory does not grow with the model.
 */
public final class CandidateSelector {
  private static final Comparator<Ranked> BEST_FIRST = Comparator
      .comparingDouble((Ranked r) -> -sortable(r.neuron.score()))
      .thenComparingInt(r -> r.layerOrder)
      .thenComparingInt(r -> r.neuron.neuron());

  private record Ranked(SelectedNeuron neuron, int layerOrder) {}

  private final int topK;
  private final int perLayerCap;
  private final Map<String, PriorityQueue<Ranked>> perLayer = new LinkedHashMap<>();
  private final Map<String, Integer> layerOrder = new HashMap<>();
  private int offered;

  private final int[] trueLabels;

  /** @param trueLabels the seed images' labels, for each candidate's label-specific source label */
  public CandidateSelector(int topK, int perLayerCap, int[] trueLabels) {
    this.trueLabels = trueLabels.clone();
    if (topK < 1 || perLayerCap < 1) {
      throw new IllegalArgumentException("topK and perLayerCap must be positive");
    }
    this.topK = topK;
    this.perLayerCap = perLayerCap;
  }

  /** Number of neurons offered so far. */
  public int offered() {
    return offered;
  }

  public void offer(NeuronNsf nsf) {
    offered++;
    int order = layerOrder.computeIfAbsent(nsf.layer(), k -> layerOrder.size());
    // Worst first, so the head is what a better neuron evicts.
    PriorityQueue<Ranked> kept = perLayer.computeIfAbsent(nsf.layer(),
        k -> new PriorityQueue<>(BEST_FIRST.reversed()));
    int keep = Math.min(topK, perLayerCap);
    if (kept.size() >= keep) {
      Ranked worst = kept.peek();
      if (sortable(nsf.score()) < sortable(worst.neuron.score())
          || sortable(nsf.score()) == sortable(worst.neuron.score())) {
        return; // later neurons lose ties, matching the order of a full sort
      }
      kept.poll();
    }
    kept.add(new Ranked(new SelectedNeuron(nsf.layer(), nsf.neuron(), nsf.topLabel(), nsf.score(),
        nsf.peakValue(), nsf.aggregate(), nsf.bestSourceLabel(nsf.topLabel(), trueLabels)), order));
  }

  /** The candidates, best first: the top {@code k} scores with at most {@code perLayerCap} per layer. */
  public List<SelectedNeuron> select() {
    List<Ranked> all = new ArrayList<>();
    perLayer.values().forEach(all::addAll);
    all.sort(BEST_FIRST);
    List<SelectedNeuron> out = new ArrayList<>();
    for (Ranked r : all) {
      if (out.size() == topK) {
        break;
      }
      out.add(r.neuron);
    }
    return out;
  }

  private static double sortable(float score) {
    return Float.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
  }
}
