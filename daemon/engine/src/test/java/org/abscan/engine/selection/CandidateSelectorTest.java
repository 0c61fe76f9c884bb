package org.abscan.engine.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.engine.Cancellation;
import org.abscan.engine.SeedImages;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.stimulation.LayerBase;
import org.abscan.engine.stimulation.NeuronNsf;
import org.abscan.engine.stimulation.StimulationAnalysis;
import org.abscan.engine.stimulation.StimulationGraph;
import org.abscan.engine.stimulation.StimulationSettings;
import org.abscan.engine.testing.PlantedModels;
import org.abscan.engine.testing.TestSeeds;
import org.abscan.engine.testing.TinyModel;
import org.abscan.proto.common.v1.Preprocessing;
import org.abscan.proto.scan.v1.Sampling;
import org.abscan.spi.model.LayerSpec;
import org.junit.jupiter.api.Test;

class CandidateSelectorTest {

  @Test
  void plantedCompromisedNeuronRanksFirstWithItsTargetLabel() {
    TinyModel model = PlantedModels.compromised();
    SeedImages seeds = TestSeeds.random(3, 8, 3, 1, PlantedModels.LABELS);
    List<NeuronNsf> nsfs = stimulate(model, seeds, Sampling.SAMPLING_GRID);
    CandidateSelector selector = new CandidateSelector(3, 3, seeds.labels());
    nsfs.forEach(selector::offer);
    List<SelectedNeuron> selected = selector.select();
    assertEquals(3, selected.size());
    assertEquals(PlantedModels.COMPROMISED, selected.get(0).neuron());
    assertEquals(PlantedModels.TARGET, selected.get(0).targetLabel());
    assertTrue(selected.get(0).score() > 2 * selected.get(1).score(),
        "compromised " + selected.get(0).score() + " vs next " + selected.get(1).score());
    assertTrue(selected.get(0).peakValue() > 0);
    assertEquals(-1, selected.get(0).nsf().getImageIndex());
  }

  @Test
  void anOutlierInItsLayerOutranksHighButOrdinaryRawScores() {
    // Layer "big" has raw scores 100..109 (109 barely stands out), layer "small" 1..1.9 with one outlier 9.
    double[] big = CandidateSelector.medianAndSpread(new float[] {100, 101, 102, 103, 109});
    double[] small = CandidateSelector.medianAndSpread(new float[] {1, 1.1f, 1.2f, 1.3f, 9});
    assertEquals(102, big[0], 1e-9);
    assertTrue((9 - small[0]) / small[1] > (109 - big[0]) / big[1]);
    assertEquals(1.2, small[0], 1e-6);
  }

  @Test
  void perLayerCapHoldsAndTheRestIsTheBestByScore() {
    TinyModel model = TinyModel.random(9, 5, 1, 4, 6, 3);
    SeedImages seeds = TestSeeds.random(4, 6, 5, 1, 3);
    List<NeuronNsf> nsfs = stimulate(model, seeds, Sampling.SAMPLING_GRID);
    assertEquals(4 + 6, nsfs.size());
    int topK = 5;
    int cap = 2;
    CandidateSelector selector = new CandidateSelector(topK, cap, seeds.labels());
    nsfs.forEach(selector::offer);
    List<SelectedNeuron> selected = selector.select();

    // Expected by brute force: standing in the layer = (score - median) / (1.4826 MAD), capped per layer.
    Map<String, double[]> robust = new HashMap<>();
    for (String layer : List.of("conv1", "dense1")) {
      float[] scores = new float[(int) nsfs.stream().filter(n -> n.layer().equals(layer)).count()];
      int i = 0;
      for (NeuronNsf n : nsfs) {
        if (n.layer().equals(layer)) {
          scores[i++] = n.score();
        }
      }
      float[] sorted = scores.clone();
      java.util.Arrays.sort(sorted);
      double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
          : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
      double[] dev = new double[scores.length];
      for (int k = 0; k < scores.length; k++) {
        dev[k] = Math.abs(scores[k] - median);
      }
      java.util.Arrays.sort(dev);
      double mad = dev.length % 2 == 1 ? dev[dev.length / 2] : (dev[dev.length / 2 - 1] + dev[dev.length / 2]) / 2;
      robust.put(layer, new double[] {median, 1.4826 * mad});
    }
    List<NeuronNsf> sorted = new ArrayList<>(nsfs);
    sorted.sort(Comparator.comparingDouble((NeuronNsf n) ->
        -(n.score() - robust.get(n.layer())[0]) / robust.get(n.layer())[1]));
    Map<String, Integer> perLayer = new HashMap<>();
    List<String> expected = new ArrayList<>();
    for (NeuronNsf n : sorted) {
      if (expected.size() < topK && perLayer.merge(n.layer(), 1, Integer::sum) <= cap) {
        expected.add(n.layer() + "/" + n.neuron());
      }
    }
    assertEquals(expected, selected.stream().map(s -> s.layer() + "/" + s.neuron()).toList());
    Map<String, Long> counts = new HashMap<>();
    selected.forEach(s -> counts.merge(s.layer(), 1L, Long::sum));
    counts.values().forEach(c -> assertTrue(c <= cap, "per-layer cap " + counts));
    assertEquals(4, selected.size(), "two layers with a cap of 2 give 4 of the 5 slots");
  }

  @Test
  void perLabelCapGivesOtherLabelsThePlacesOfTheBestLabelsExtraNeurons() {
    TinyModel model = TinyModel.random(9, 5, 1, 4, 6, 3);
    SeedImages seeds = TestSeeds.random(4, 6, 5, 1, 3);
    List<NeuronNsf> nsfs = stimulate(model, seeds, Sampling.SAMPLING_GRID);
    int topK = 6;
    int layerCap = 4;
    List<SelectedNeuron> uncapped = select(nsfs, topK, layerCap, 0, seeds.labels());
    Map<Integer, Long> uncappedLabels = labels(uncapped);
    long most = uncappedLabels.values().stream().mapToLong(Long::longValue).max().orElse(0);
    assertTrue(most >= 3, "this model's candidates crowd on one label without a cap: " + uncappedLabels);

    List<SelectedNeuron> capped = select(nsfs, topK, layerCap, 2, seeds.labels());
    // Expected: the uncapped ranking of every neuron (both caps off), then greedily capped per layer and label.
    List<SelectedNeuron> ranking = select(nsfs, nsfs.size(), nsfs.size(), 0, seeds.labels());
    Map<String, Integer> perLayer = new HashMap<>();
    Map<Integer, Integer> perLabel = new HashMap<>();
    List<String> expected = new ArrayList<>();
    for (SelectedNeuron n : ranking) {
      if (expected.size() < topK && perLayer.getOrDefault(n.layer(), 0) < layerCap
          && perLabel.getOrDefault(n.targetLabel(), 0) < 2) {
        expected.add(n.layer() + "/" + n.neuron());
        perLayer.merge(n.layer(), 1, Integer::sum);
        perLabel.merge(n.targetLabel(), 1, Integer::sum);
      }
    }
    assertEquals(expected, capped.stream().map(s -> s.layer() + "/" + s.neuron()).toList());
    labels(capped).values().forEach(c -> assertTrue(c <= 2, "per-label cap " + labels(capped)));
    assertTrue(labels(capped).size() > uncappedLabels.size(), "more labels: " + labels(capped));
    assertEquals(names(uncapped).get(0), names(capped).get(0), "the best neuron leads either way");
  }

  @Test
  void anAddedLabelCapExaminesTheTopKAndTheCappedSelectionBothAndSaysWhichChoseEach() {
    TinyModel model = TinyModel.random(9, 5, 1, 4, 6, 3);
    SeedImages seeds = TestSeeds.random(4, 6, 5, 1, 3);
    List<NeuronNsf> nsfs = stimulate(model, seeds, Sampling.SAMPLING_GRID);
    List<String> topK = names(select(nsfs, 6, 4, 0, seeds.labels()));
    // Added to the top k, the label-capped selection is not held to the layer cap (see the next test).
    List<String> capped = names(select(nsfs, 6, nsfs.size(), 2, seeds.labels()));
    CandidateSelector selector = new CandidateSelector(6, 4, 2, true, seeds.labels());
    nsfs.forEach(selector::offer);
    List<SelectedNeuron> added = selector.select();

    List<String> ranking = names(select(nsfs, nsfs.size(), nsfs.size(), 0, seeds.labels()));
    List<String> expected = ranking.stream().filter(n -> topK.contains(n) || capped.contains(n)).toList();
    assertEquals(expected, names(added), "the union of both selections, in ranking order");
    assertTrue(added.size() > 6, "the capped selection adds neurons the top k left out: " + names(added));
    for (SelectedNeuron s : added) {
      String name = s.layer() + "/" + s.neuron();
      assertEquals(topK.contains(name), s.byTopK(), name + " by top k");
      assertEquals(capped.contains(name), s.byLabelCap(), name + " by label cap");
      assertEquals(s.byTopK(), s.toCandidate().getSelectedByTopK());
      assertEquals(s.byLabelCap(), s.toCandidate().getSelectedByLabelCap());
    }
    assertTrue(select(nsfs, 6, 4, 0, seeds.labels()).stream().allMatch(s -> s.byTopK() && !s.byLabelCap()),
        "with no cap every candidate is the top k's");
    assertTrue(select(nsfs, 6, 4, 2, seeds.labels()).stream().allMatch(SelectedNeuron::byLabelCap),
        "a replacing cap's candidates are all the capped selection's");
  }

  @Test
  void aLabelCapAddedToTheTopKSpreadsOverLabelsWithoutTheLayerCap() {
    TinyModel model = TinyModel.random(9, 5, 1, 4, 6, 3);
    SeedImages seeds = TestSeeds.random(4, 6, 5, 1, 3);
    List<NeuronNsf> nsfs = stimulate(model, seeds, Sampling.SAMPLING_GRID);
    int layerCap = 2;
    CandidateSelector selector = new CandidateSelector(6, layerCap, 2, true, seeds.labels());
    nsfs.forEach(selector::offer);
    List<SelectedNeuron> added = selector.select();

    // Expected: the full ranking, greedily capped per label only.
    Map<Integer, Integer> perLabel = new HashMap<>();
    List<String> expected = new ArrayList<>();
    for (SelectedNeuron n : select(nsfs, nsfs.size(), nsfs.size(), 0, seeds.labels())) {
      if (expected.size() < 6 && perLabel.merge(n.targetLabel(), 1, Integer::sum) <= 2) {
        expected.add(n.layer() + "/" + n.neuron());
      }
    }
    List<SelectedNeuron> byCap = added.stream().filter(SelectedNeuron::byLabelCap).toList();
    assertEquals(expected, names(byCap));
    Map<String, Long> capLayers = new HashMap<>();
    byCap.forEach(s -> capLayers.merge(s.layer(), 1L, Long::sum));
    assertTrue(capLayers.values().stream().anyMatch(c -> c > layerCap),
        "one layer gives the label-capped selection more than the layer cap: " + capLayers);
    Map<String, Long> topLayers = new HashMap<>();
    added.stream().filter(SelectedNeuron::byTopK).forEach(s -> topLayers.merge(s.layer(), 1L, Long::sum));
    topLayers.values().forEach(c -> assertTrue(c <= layerCap, "the top k keeps the layer cap: " + topLayers));
    Map<String, Long> replacing = new HashMap<>();
    select(nsfs, 6, layerCap, 2, seeds.labels()).forEach(s -> replacing.merge(s.layer(), 1L, Long::sum));
    replacing.values().forEach(c -> assertTrue(c <= layerCap, "a replacing cap keeps the layer cap: " + replacing));
  }

  @Test
  void aLabelCoverGivesEachLabelLeftOutItsBestNeuronForAtMostItsBoundOfLabels() {
    TinyModel model = TinyModel.random(9, 5, 1, 8, 12, 6);
    SeedImages seeds = TestSeeds.random(4, 12, 5, 1, 6);
    List<NeuronNsf> nsfs = stimulate(model, seeds, Sampling.SAMPLING_GRID);
    List<SelectedNeuron> ranking = select(nsfs, nsfs.size(), nsfs.size(), 0, seeds.labels());
    List<SelectedNeuron> twoSelections = selectWithCover(nsfs, 1, 0, seeds.labels());
    Set<Integer> covered = new HashSet<>(labels(twoSelections).keySet());
    // Expected: the first neuron of the full ranking of each label the two selections leave out, in ranking order.
    List<String> leftOut = new ArrayList<>();
    Set<Integer> seen = new HashSet<>(covered);
    for (SelectedNeuron n : ranking) {
      if (seen.add(n.targetLabel())) {
        leftOut.add(n.layer() + "/" + n.neuron());
      }
    }
    assertTrue(leftOut.size() >= 2, "the fixture leaves labels out: covered " + covered);

    List<SelectedNeuron> all = selectWithCover(nsfs, 1, 100, seeds.labels());
    assertEquals(leftOut, names(all.stream().filter(SelectedNeuron::byLabelCover).toList()));
    all.stream().filter(SelectedNeuron::byLabelCover).forEach(s -> {
      assertTrue(!s.byTopK() && !s.byLabelCap(), "a covering neuron is neither selection's: " + s);
      assertTrue(s.toCandidate().getSelectedByLabelCover());
    });
    assertEquals(names(twoSelections), names(all.stream().filter(s -> !s.byLabelCover()).toList()),
        "the other two selections are unchanged");
    assertEquals(labels(ranking).keySet(), labels(all).keySet(), "every label that tops a neuron has a candidate");
    assertEquals(names(ranking.stream().filter(s -> names(all).contains(s.layer() + "/" + s.neuron())).toList()),
        names(all), "in ranking order");

    List<SelectedNeuron> one = selectWithCover(nsfs, 1, 1, seeds.labels());
    assertEquals(leftOut.subList(0, 1), names(one.stream().filter(SelectedNeuron::byLabelCover).toList()),
        "a bound of one covers the label whose best neuron stands out most");
    assertTrue(twoSelections.stream().noneMatch(SelectedNeuron::byLabelCover));
    // Without a label cap the neurons are still kept per label, so the cover finds every label's best.
    assertEquals(labels(ranking).keySet(), labels(selectWithCover(nsfs, 0, 100, seeds.labels())).keySet());
  }

  private static List<SelectedNeuron> selectWithCover(List<NeuronNsf> nsfs, int labelCap, int labelCover,
      int[] labels) {
    // A top k of two with a layer cap of one leaves labels out.
    CandidateSelector selector = new CandidateSelector(2, 1, labelCap, true, labelCover, labels);
    nsfs.forEach(selector::offer);
    return selector.select();
  }

  @Test
  void withoutALabelCapTheSelectionIsWhatItWas() {
    TinyModel model = TinyModel.random(9, 5, 1, 4, 6, 3);
    SeedImages seeds = TestSeeds.random(4, 6, 5, 1, 3);
    List<NeuronNsf> nsfs = stimulate(model, seeds, Sampling.SAMPLING_GRID);
    CandidateSelector before = new CandidateSelector(5, 2, seeds.labels());
    nsfs.forEach(before::offer);
    assertEquals(before.select(), select(nsfs, 5, 2, 0, seeds.labels()));
  }

  private static List<SelectedNeuron> select(List<NeuronNsf> nsfs, int topK, int layerCap, int labelCap,
      int[] labels) {
    CandidateSelector selector = new CandidateSelector(topK, layerCap, labelCap, labels);
    nsfs.forEach(selector::offer);
    return selector.select();
  }

  private static List<String> names(List<SelectedNeuron> selected) {
    return selected.stream().map(s -> s.layer() + "/" + s.neuron()).toList();
  }

  private static Map<Integer, Long> labels(List<SelectedNeuron> selected) {
    Map<Integer, Long> out = new HashMap<>();
    selected.forEach(s -> out.merge(s.targetLabel(), 1L, Long::sum));
    return out;
  }

  private static List<NeuronNsf> stimulate(TinyModel model, SeedImages seeds, Sampling sampling) {
    List<LayerSpec> layers = model.spec().candidateLayers();
    List<NeuronNsf> out = new ArrayList<>();
    try (StimulationGraph graph = new StimulationGraph(model,
        InputPreprocessor.create(Preprocessing.getDefaultInstance(), model.spec().input()), layers, "")) {
      StimulationAnalysis analysis = new StimulationAnalysis(graph,
          new StimulationSettings(sampling, 5, 8f, 0), Cancellation.NEVER);
      for (LayerSpec layer : layers) {
        try (LayerBase base = graph.runBase(layer.name(), seeds)) {
          int[] neurons = java.util.stream.IntStream.range(0, layer.neurons()).toArray();
          analysis.analyse(base, neurons, seeds.labels(), out::add, (d, t) -> { });
        }
      }
    }
    return out;
  }
}
