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
import java.util.function.Function;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.reverse.ReverseEngineering;
import org.abscan.engine.reverse.ReverseEngineeringJob;
import org.abscan.engine.selection.CandidateSelector;
import org.abscan.engine.selection.SelectedNeuron;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.CandidateResult;
import org.abscan.proto.scan.v1.CandidatesSelected;
import org.abscan.proto.scan.v1.LabelCapMode;
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
  private final int parallelism;

  FullScan(TriggerApplierRegistry registry, ReverseEngineering reverseEngineering, Consumer<ScanEvent> events,
      Cancellation cancellation) {
    this(registry, reverseEngineering, events, cancellation, ConcurrentJobs.defaultParallelism());
  }

  /** @param parallelism how many trigger batches may run at once (1: one after the other) */
  FullScan(TriggerApplierRegistry registry, ReverseEngineering reverseEngineering, Consumer<ScanEvent> events,
      Cancellation cancellation, int parallelism) {
    this.parallelism = parallelism;
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
    // The request's "no cap" and "no cover" (-1; 0 is the proto's unset value) are the selector's 0.
    int perLabelCap = p.getPerLabelCap() == ScanParameterDefaults.NO_LABEL_CAP ? 0 : p.getPerLabelCap();
    int labelCover = p.getLabelCover() == ScanParameterDefaults.NO_LABEL_COVER ? 0 : p.getLabelCover();
    CandidateSelector selector = new CandidateSelector(p.getTopK(), p.getPerLayerCap(), perLabelCap,
        p.getLabelCapMode() == LabelCapMode.LABEL_CAP_MODE_ADD, labelCover, input.seeds().labels());
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
    List<PlannedJob> jobs = new ArrayList<>();
    int offset = report.getCandidatesCount();
    for (String trigger : selected.isEmpty() ? List.<String>of() : p.getTriggersList()) {
      boolean merge = !baselineMerged && trigger.equals(baselineTrigger) && !baseline.isEmpty()
          && oneTriggerPerNeuron(trigger, selected.size() + baseline.size());
      PlannedJob job = plan(input, preprocessor, split, selected, merge ? baseline : List.of(), trigger, p,
          OptionalInt.empty(), offset);
      jobs.add(job);
      offset += job.groups().size();
      baselineMerged |= merge;
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
          PlannedJob job = plan(input, preprocessor, split.ofLabel(e.getKey(), input.seeds()), group, List.of(),
              trigger, p, OptionalInt.of(e.getKey()), offset);
          jobs.add(job);
          offset += job.groups().size();
        }
      }
    }
    List<Function<Cancellation, List<Candidate>>> work = new ArrayList<>();
    jobs.forEach(job -> work.add(jobCancellation -> run(job, jobCancellation)));
    if (!baseline.isEmpty() && !baselineMerged) {
      ReverseEngineeringJob job = new ReverseEngineeringJob(input.model(), preprocessor,
          split.reverseEngineering(), split.heldOut(), baseline, baselineTrigger, p, baseline.size());
      work.add(jobCancellation -> reverseEngineering.reverseEngineer(job, progress -> { }, jobCancellation));
    }
    cancellation.check();
    // The trigger kinds' batches are independent graphs: they run side by side (ConcurrentJobs), and their
    // results are recorded afterwards in the order a sequential scan would have produced them.
    List<List<Candidate>> results = ConcurrentJobs.run(work, parallelism, cancellation);
    for (int j = 0; j < jobs.size(); j++) {
      record(jobs.get(j), results.get(j), report).forEach(c -> baselineReasrs.add(VerdictCalculator.evidence(c)));
    }
    if (results.size() > jobs.size()) {
      results.get(jobs.size()).forEach(c -> baselineReasrs.add(VerdictCalculator.evidence(c)));
    }
    long reversed = System.nanoTime();

    VerdictCalculator.decide(report, p, baselineReasrs);
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
   * one trigger; its progress events carry report indices from {@code offset} on.
   */
  private PlannedJob plan(ScanInput input, InputPreprocessor preprocessor, SeedSplit split,
      List<SelectedNeuron> selected, List<NeuronCandidate> extra, String trigger, ScanParameters p,
      OptionalInt sourceLabel, int offset) {
    List<NeuronCandidate> candidates = selected.stream().map(SelectedNeuron::toNeuronCandidate).toList();
    List<NeuronCandidate> all = new ArrayList<>(candidates);
    all.addAll(extra);
    List<List<Integer>> groups = registry.applier(trigger).group(candidates);
    return new PlannedJob(new ReverseEngineeringJob(input.model(), preprocessor, split.reverseEngineering(),
        split.heldOut(), all, trigger, p, extra.size()), selected, candidates.size(), extra.size(), groups,
        sourceLabel, offset);
  }

  /** A planned reverse-engineering job and how its results enter the report. */
  private record PlannedJob(ReverseEngineeringJob job, List<SelectedNeuron> selected, int ownCandidates,
      int extraCandidates, List<List<Integer>> groups, OptionalInt sourceLabel, int offset) {}

  private List<Candidate> run(PlannedJob planned, Cancellation jobCancellation) {
    jobCancellation.check();
    return reverseEngineering.reverseEngineer(planned.job(), progress -> {
      if (progress.getCandidateIndex() < planned.ownCandidates()) { // the baseline's progress is not reported
        emit(ScanEvent.newBuilder().setTriggerProgress(progress.toBuilder()
            .setCandidateIndex(planned.offset() + groupOf(planned.groups(), progress.getCandidateIndex()))));
      }
    }, jobCancellation);
  }

  /**
   * Appends and emits the selected neurons' results of {@code planned}; returns the extra (baseline) neurons'
   * results, which are merged only for one trigger per neuron and come last.
   */
  private List<Candidate> record(PlannedJob planned, List<Candidate> allResults, ScanReport.Builder report) {
    int own = allResults.size() - planned.extraCandidates();
    List<Candidate> results = allResults.subList(0, own);
    List<List<Integer>> groups = planned.groups();
    List<SelectedNeuron> selected = planned.selected();
    for (int g = 0; g < results.size(); g++) {
      List<Integer> group = g < groups.size() ? groups.get(g) : List.of(Math.min(g, selected.size() - 1));
      Candidate c = describe(results.get(g), group, selected, planned.job().trigger());
      if (planned.sourceLabel().isPresent()) {
        c = c.toBuilder().setSourceLabel(planned.sourceLabel().getAsInt()).build();
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
        .setPeakValue(lead.peakValue())
        .setSelectedByTopK(lead.byTopK())
        .setSelectedByLabelCap(lead.byLabelCap())
        .setSelectedByLabelCover(lead.byLabelCover());
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

  /** Synchronized: concurrent trigger batches report progress from their own threads. */
  private void emit(ScanEvent.Builder event) {
    ScanEvent built = event.build();
    synchronized (events) {
      events.accept(built);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
