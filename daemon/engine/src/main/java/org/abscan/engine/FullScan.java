package org.abscan.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.reverse.ReverseEngineering;
import org.abscan.engine.reverse.ReverseEngineeringJob;
import org.abscan.engine.selection.CandidateSelector;
import org.abscan.engine.selection.SelectedNeuron;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.CandidateResult;
import org.abscan.proto.scan.v1.CandidatesSelected;
import org.abscan.proto.scan.v1.ModelLoaded;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.Timings;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelSpec;
import org.abscan.spi.trigger.NeuronCandidate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** One full scan: stimulation, selection (Algorithm 1), reverse engineering per trigger, baseline, verdict. */
final class FullScan {
  private static final Logger LOG = LogManager.getLogger(FullScan.class);
  static final String BASELINE_TRIGGER = "pixel";

  private final TriggerApplierRegistry registry;
  private final ReverseEngineering reverseEngineering;
  private final Consumer<ScanEvent> events;
  private final Cancellation cancellation;

  FullScan(TriggerApplierRegistry registry, ReverseEngineering reverseEngineering, Consumer<ScanEvent> events,
      Cancellation cancellation) {
    this.registry = registry;
    this.reverseEngineering = reverseEngineering;
    this.events = events;
    this.cancellation = cancellation;
  }

  ScanReport run(ScanInput input) {
    long start = System.nanoTime();
    ScanParameters p = ScanParameterDefaults.resolve(input.parameters());
    ModelSpec spec = input.model().spec();
    for (String trigger : p.getTriggersList()) {
      registry.applier(trigger); // INVALID_ARGUMENT for an unknown trigger, before any work
    }
    InputPreprocessor preprocessor = InputPreprocessor.create(input.preprocessing(), spec.input());
    InputChecks.seeds(input.seeds(), spec);
    List<LayerSpec> layers = StimulationRunner.layers(spec, p);
    int totalNeurons = layers.stream().mapToInt(LayerSpec::neurons).sum();
    emit(ScanEvent.newBuilder().setModelLoaded(ModelLoaded.newBuilder()
        .setModelSha256(input.modelSha256())
        .setFormat(input.modelFormat())
        .setNumLabels(spec.numLabels())
        .setCandidateLayers(layers.size())
        .setTotalNeurons(totalNeurons)
        .setSeedImages(input.seeds().count())));

    // Stimulation and selection, remembering the top label of the random baseline neurons on the way.
    Map<String, Set<Integer>> baselineWanted = pickBaseline(layers, p.getBaselineNeurons(), p.getSeed());
    List<NeuronCandidate> baseline = new ArrayList<>();
    CandidateSelector selector = new CandidateSelector(p.getTopK(), p.getPerLayerCap(),
        input.seeds().labels());
    int analysed = StimulationRunner.run(input.model(), preprocessor, input.seeds(), p, layers,
        StimulationRunner::allNeurons, (nsf, base) -> {
          selector.offer(nsf);
          if (baselineWanted.getOrDefault(nsf.layer(), Set.of()).contains(nsf.neuron())) {
            baseline.add(new NeuronCandidate(nsf.layer(), nsf.neuron(), nsf.topLabel(), nsf.score()));
          }
        },
        progress -> emit(ScanEvent.newBuilder().setStimulationProgress(progress)), cancellation);
    long stimulated = System.nanoTime();
    List<SelectedNeuron> selected = selector.select();
    CandidatesSelected.Builder chosen = CandidatesSelected.newBuilder();
    selected.forEach(s -> chosen.addCandidates(s.toCandidate()));
    emit(ScanEvent.newBuilder().setCandidatesSelected(chosen));
    long selectedAt = System.nanoTime();
    LOG.info("selected {} candidates from {} neurons", selected.size(), analysed);

    SeedSplit split = SeedSplit.split(input.seeds(), p.getReFraction(), p.getSeed());
    ScanReport.Builder report = ScanReport.newBuilder();
    String baselineTrigger = registry.names().contains(BASELINE_TRIGGER) ? BASELINE_TRIGGER : p.getTriggers(0);
    List<Float> baselineReasrs = new ArrayList<>();
    // The baseline triggers ride in the same batch (one graph, one optimisation loop) as the candidates of
    // the same trigger kind when that trigger optimises each neuron on its own: a separate batch would cost
    // a second graph and a second loop as long as its slowest trigger.
    boolean baselineMerged = false;
    for (String trigger : selected.isEmpty() ? List.<String>of() : p.getTriggersList()) {
      boolean merge = !baselineMerged && trigger.equals(baselineTrigger) && !baseline.isEmpty()
          && oneTriggerPerNeuron(trigger, selected.size() + baseline.size());
      List<NeuronCandidate> extra = merge ? baseline : List.of();
      List<Candidate> extraResults = reverseEngineer(input, preprocessor, split, selected, extra, trigger, p,
          OptionalInt.empty(), report);
      if (merge) {
        extraResults.forEach(c -> baselineReasrs.add(c.getReasr()));
        baselineMerged = true;
      }
    }
    if (p.getLabelSpecific()) {
      // Appendix D: per source label, triggers optimised and measured on that label's images only.
      Map<Integer, List<Integer>> bySource = new TreeMap<>();
      for (int i = 0; i < selected.size(); i++) {
        if (selected.get(i).sourceLabel() >= 0) {
          bySource.computeIfAbsent(selected.get(i).sourceLabel(), k -> new ArrayList<>()).add(i);
        }
      }
      for (String trigger : p.getTriggersList()) {
        for (Map.Entry<Integer, List<Integer>> e : bySource.entrySet()) {
          List<SelectedNeuron> group = e.getValue().stream().map(selected::get).toList();
          reverseEngineer(input, preprocessor, split.ofLabel(e.getKey(), input.seeds()), group, List.of(),
              trigger, p, OptionalInt.of(e.getKey()), report);
        }
      }
    }

    if (!baseline.isEmpty() && !baselineMerged) {
      cancellation.check();
      for (Candidate c : reverseEngineering.reverseEngineer(
          new ReverseEngineeringJob(input.model(), preprocessor, split.reverseEngineering(), split.heldOut(),
              baseline, baselineTrigger, p),
          progress -> { }, cancellation)) {
        baselineReasrs.add(c.getReasr());
      }
    }
    long reversed = System.nanoTime();

    VerdictCalculator.decide(report, p.getThreshold(), baselineReasrs);
    selected.forEach(s -> report.addNsfSummaries(s.nsf()));
    return report
        .setParameters(p)
        .setModelSha256(input.modelSha256())
        .setModelFormat(input.modelFormat())
        .setNumLabels(spec.numLabels())
        .setSeedImages(input.seeds().count())
        .setNeuronsAnalysed(analysed)
        .setAbscanVersion(EngineVersions.abscan())
        .setTensorflowVersion(EngineVersions.tensorflow())
        .setTimings(Timings.newBuilder()
            .setLoadSeconds(0)
            .setStimulationSeconds(seconds(stimulated - start))
            .setSelectionSeconds(seconds(selectedAt - stimulated))
            .setReverseEngineeringSeconds(seconds(reversed - selectedAt))
            .setTotalSeconds(seconds(System.nanoTime() - start)))
        .build();
  }

  /** Whether {@code trigger} optimises one trigger per neuron for a list of {@code count} neurons. */
  private boolean oneTriggerPerNeuron(String trigger, int count) {
    List<NeuronCandidate> probe = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      probe.add(new NeuronCandidate("probe", i, 0, 0f));
    }
    return registry.applier(trigger).group(probe).size() == count;
  }

  /**
   * One reverse-engineering job for {@code selected} (and, after them, the {@code extra} baseline neurons) and
   * one trigger; appends and emits the selected neurons' results and returns the extra neurons' results.
   */
  private List<Candidate> reverseEngineer(ScanInput input, InputPreprocessor preprocessor, SeedSplit split,
      List<SelectedNeuron> selected, List<NeuronCandidate> extra, String trigger, ScanParameters p,
      OptionalInt sourceLabel, ScanReport.Builder report) {
    cancellation.check();
    List<NeuronCandidate> candidates = selected.stream().map(SelectedNeuron::toNeuronCandidate).toList();
    List<NeuronCandidate> all = new ArrayList<>(candidates);
    all.addAll(extra);
    int offset = report.getCandidatesCount();
    List<List<Integer>> groups = registry.applier(trigger).group(candidates);
    List<Candidate> allResults = reverseEngineering.reverseEngineer(
        new ReverseEngineeringJob(input.model(), preprocessor, split.reverseEngineering(), split.heldOut(),
            all, trigger, p),
        progress -> {
          if (progress.getCandidateIndex() < candidates.size()) { // the baseline's progress is not reported
            emit(ScanEvent.newBuilder().setTriggerProgress(progress.toBuilder()
                .setCandidateIndex(offset + groupOf(groups, progress.getCandidateIndex()))));
          }
        },
        cancellation);
    // Merged only for one trigger per neuron: the last extra.size() results are the baseline's.
    int own = allResults.size() - extra.size();
    List<Candidate> results = allResults.subList(0, own);
    for (int g = 0; g < results.size(); g++) {
      List<Integer> group = g < groups.size() ? groups.get(g) : List.of(Math.min(g, selected.size() - 1));
      Candidate c = describe(results.get(g), group, selected, trigger);
      if (sourceLabel.isPresent()) {
        c = c.toBuilder().setSourceLabel(sourceLabel.getAsInt()).build();
      }
      int index = report.getCandidatesCount();
      report.addCandidates(c);
      emit(ScanEvent.newBuilder().setCandidateResult(
          CandidateResult.newBuilder().setCandidateIndex(index).setCandidate(c)));
    }
    return List.copyOf(allResults.subList(own, allResults.size()));
  }

  /** The reverse-engineering result with the neuron(s), target label and selection evidence filled in. */
  static Candidate describe(Candidate result, List<Integer> group, List<SelectedNeuron> selected,
      String trigger) {
    SelectedNeuron lead = selected.get(group.get(0));
    Candidate.Builder c = result.toBuilder()
        .setLayer(lead.layer())
        .setNeuron(lead.neuron())
        .clearNeurons()
        .setTargetLabel(lead.targetLabel())
        .setElevationScore(lead.score())
        .setPeakValue(lead.peakValue());
    for (int i : group) {
      c.addNeurons(selected.get(i).neuron());
    }
    if (c.getTrigger().isEmpty()) {
      c.setTrigger(trigger);
    }
    return c.build();
  }

  /**
   * Reverse engineering reports progress by the job's candidate index; the report lists one result per group,
   * so the event carries the group's index (a candidate outside every group keeps its own).
   */
  static int groupOf(List<List<Integer>> groups, int candidate) {
    for (int g = 0; g < groups.size(); g++) {
      if (groups.get(g).contains(candidate)) {
        return g;
      }
    }
    return candidate;
  }

  /** {@code count} distinct random neurons over the layers (all of them if there are fewer). */
  static Map<String, Set<Integer>> pickBaseline(List<LayerSpec> layers, int count, long seed) {
    long total = layers.stream().mapToLong(LayerSpec::neurons).sum();
    Random random = new Random(seed * 31 + 17);
    Set<Long> picked = new LinkedHashSet<>();
    while (picked.size() < Math.min(count, total)) {
      picked.add((long) (random.nextDouble() * total));
    }
    Map<String, Set<Integer>> out = new HashMap<>();
    for (long flat : picked) {
      long k = flat;
      for (LayerSpec layer : layers) {
        if (k < layer.neurons()) {
          out.computeIfAbsent(layer.name(), n -> new java.util.HashSet<>()).add((int) k);
          break;
        }
        k -= layer.neurons();
      }
    }
    return out;
  }

  private void emit(ScanEvent.Builder event) {
    events.accept(event.build());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
