package org.abscan.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.abscan.engine.graph.InputPreprocessor;
import org.abscan.engine.reverse.ReverseEngineering;
import org.abscan.engine.reverse.ReverseEngineeringJob;
import org.abscan.engine.selection.SelectedNeuron;
import org.abscan.engine.stimulation.NeuronNsf;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.proto.scan.v1.ScanReport;
import org.abscan.proto.scan.v1.StreamNSFResponse;
import org.abscan.proto.scan.v1.TriggerProgress;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LayerSpec;
import org.abscan.spi.model.ModelSpec;
import org.abscan.spi.trigger.NeuronCandidate;

/**
 * ABS on TensorFlow Java: stimulation analysis ({@link org.abscan.engine.stimulation}), candidate selection
 * ({@link org.abscan.engine.selection}), trigger reverse engineering (a {@link ReverseEngineering}) and the
 * verdict, with label-specific triggers (Appendix D) when {@code parameters.label_specific} is set.
 */
public final class AbsEngine implements ScanEngine {
  private final TriggerApplierRegistry registry;
  private final ReverseEngineering reverseEngineering;

  public AbsEngine(TriggerApplierRegistry registry, ReverseEngineering reverseEngineering) {
    this.registry = registry;
    this.reverseEngineering = reverseEngineering;
  }

  @Override
  public ScanReport scan(ScanInput input, Consumer<ScanEvent> events, Cancellation cancellation) {
    return new FullScan(registry, reverseEngineering, events, cancellation).run(input);
  }

  @Override
  public void stimulate(NsfInput input, Consumer<StreamNSFResponse> events, Cancellation cancellation) {
    ScanParameters p = ScanParameterDefaults.resolve(input.parameters());
    ModelSpec spec = input.model().spec();
    InputPreprocessor preprocessor = InputPreprocessor.create(input.preprocessing(), spec.input());
    InputChecks.seeds(input.seeds(), spec);
    List<LayerSpec> layers = StimulationRunner.layers(spec, p);
    int widest = layers.stream().mapToInt(LayerSpec::neurons).max().orElse(0);
    List<Violation> violations = new ArrayList<>();
    for (int n : input.neurons()) {
      if (n < 0 || n >= widest) {
        violations.add(new Violation("neurons", "neuron " + n + " is outside every analysed layer (the widest has "
            + widest + " neurons)"));
      }
    }
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid neurons", violations);
    }
    StimulationRunner.run(input.model(), preprocessor, input.seeds(), p, layers,
        layer -> input.neurons().isEmpty()
            ? StimulationRunner.allNeurons(layer)
            : input.neurons().stream().distinct().mapToInt(Integer::intValue)
                .filter(n -> n < layer.neurons()).toArray(),
        (nsf, base) -> {
          events.accept(StreamNSFResponse.newBuilder().setNsf(nsf.aggregate()).build());
          if (input.perImage()) {
            for (int j = 0; j < nsf.images(); j++) {
              events.accept(StreamNSFResponse.newBuilder().setNsf(nsf.perImage(j, base)).build());
            }
          }
        },
        progress -> events.accept(StreamNSFResponse.newBuilder().setProgress(progress).build()),
        cancellation);
  }

  @Override
  public Candidate generateTrigger(
      TriggerInput input, Consumer<TriggerProgress> progress, Cancellation cancellation) {
    ScanParameters p = ScanParameterDefaults.resolve(input.parameters());
    ModelSpec spec = input.model().spec();
    String trigger = input.trigger().isEmpty() ? FullScan.BASELINE_TRIGGER : input.trigger();
    var applier = registry.applier(trigger);
    InputPreprocessor preprocessor = InputPreprocessor.create(input.preprocessing(), spec.input());
    InputChecks.seeds(input.seeds(), spec);
    LayerSpec layer = checkNeurons(spec, input);
    int[] neurons = input.neurons().stream().distinct().mapToInt(Integer::intValue).toArray();

    // Stimulation of just these neurons gives each one's evidence and, if not given, the target label.
    List<NeuronNsf> nsfs = new ArrayList<>();
    StimulationRunner.run(input.model(), preprocessor, input.seeds(),
        p.toBuilder().clearLayers().addLayers(layer.name()).build(), List.of(layer), l -> neurons,
        (nsf, base) -> nsfs.add(nsf), done -> { }, cancellation);
    int target = input.targetLabel().orElseGet(() -> bestCommonLabel(nsfs, spec.numLabels()));
    List<SelectedNeuron> selected = nsfs.stream().map(n -> new SelectedNeuron(layer.name(), n.neuron(), target,
        n.elevation(target), n.peakValue(), n.aggregate(), -1)).toList();
    List<NeuronCandidate> candidates = selected.stream().map(SelectedNeuron::toNeuronCandidate).toList();

    SeedSplit split = SeedSplit.split(input.seeds(), p.getReFraction(), p.getSeed());
    List<List<Integer>> groups = applier.group(candidates);
    List<Candidate> results = reverseEngineering.reverseEngineer(
        new ReverseEngineeringJob(input.model(), preprocessor, split.reverseEngineering(), split.heldOut(),
            candidates, trigger, p),
        progress, cancellation);
    if (results.isEmpty()) {
      throw new AbscanException(ErrorCategory.INTERNAL, "reverse engineering returned no trigger");
    }
    // Several neurons with a one-neuron-per-trigger applier give several triggers: return the best, as a scan's
    // verdict would rank them.
    int best = VerdictCalculator.strongest(results, c -> true, p);
    List<Integer> group = best < groups.size() ? groups.get(best) : List.of(0);
    return FullScan.describe(results.get(best), group, selected, trigger);
  }

  private static LayerSpec checkNeurons(ModelSpec spec, TriggerInput input) {
    List<Violation> violations = new ArrayList<>();
    LayerSpec layer = spec.layer(input.layer()).orElse(null);
    if (layer == null) {
      violations.add(new Violation("layer", "the model has no layer \"" + input.layer() + "\""));
    } else {
      if (input.neurons().isEmpty()) {
        violations.add(new Violation("neurons", "name at least one neuron"));
      }
      for (int n : input.neurons()) {
        if (n < 0 || n >= layer.neurons()) {
          violations.add(new Violation("neurons", "neuron " + n + " is outside layer " + layer.name() + " ("
              + layer.neurons() + " neurons)"));
        }
      }
    }
    if (input.targetLabel().isPresent()
        && (input.targetLabel().getAsInt() < 0 || input.targetLabel().getAsInt() >= spec.numLabels())) {
      violations.add(new Violation("target_label", "label " + input.targetLabel().getAsInt()
          + " is outside the model's " + spec.numLabels() + " labels"));
    }
    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid trigger request", violations);
    }
    return layer;
  }

  /** The label the neurons elevate most together (one neuron: its top label). */
  private static int bestCommonLabel(List<NeuronNsf> nsfs, int labels) {
    float[] sum = new float[labels];
    for (NeuronNsf nsf : nsfs) {
      float[] e = nsf.elevation();
      for (int l = 0; l < labels; l++) {
        sum[l] += e[l];
      }
    }
    int best = 0;
    for (int l = 1; l < labels; l++) {
      best = sum[l] > sum[best] ? l : best;
    }
    return nsfs.size() == 1 ? nsfs.get(0).topLabel() : best;
  }
}
