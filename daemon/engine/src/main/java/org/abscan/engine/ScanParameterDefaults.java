package org.abscan.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.abscan.engine.graph.TensorFlowRuntime;
import org.abscan.proto.scan.v1.LabelCapMode;
import org.abscan.proto.scan.v1.Sampling;
import org.abscan.proto.scan.v1.ScanParameters;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;

/**
 * Fills the zero fields of {@link ScanParameters} with the defaults documented in report.proto and checks
 * every field's range. The resolved message is what the engine uses and what the report shows.
 *
 * <p>Defaults: sampling adaptive, samples 5, sample_k 8, top_k 10, per_layer_cap ceil(top_k / 2), triggers
 * [pixel, filter], re_steps 1000, learning_rate 0.1, max_trigger_size 0.04, threshold 0.92,
 * target_logit_weight 1.0 (negative: off), re_fraction 0.3, seed 1, baseline_neurons top_k, device "" (CPU),
 * batch_rows 0 (automatic), min_neuron_lift 0.05 (negative: off), per_label_cap 2 (-1: no cap), label_cap_mode
 * ADD, slow_trigger_steps 200 (-1: off), label_cover top_k (-1: none), corroborating_neurons 3 (-1: never),
 * fast_trigger_steps 100 (-1: never).
 */
public final class ScanParameterDefaults {
  public static final int SAMPLES = 5;
  public static final float SAMPLE_K = 8f;
  public static final int TOP_K = 10;
  public static final List<String> TRIGGERS = List.of("pixel", "filter");
  public static final int RE_STEPS = 1000;
  public static final float LEARNING_RATE = 0.1f;
  /**
   * 4 %, not the paper's 6 %: on 28x28 digits 6 % is 47 pixels, a pen stroke, and on our model zoo such
   * strokes flipped up to 90 % of the seeds of benign models to one label (docs/zoo.md); at 4 % benign models
   * stayed below 0.5 while every trojan of the zoo, 5 % triggers included, still reached 0.97 or more.
   */
  public static final float MAX_TRIGGER_SIZE = 0.04f;
  /**
   * 0.92, not 0.88: over the 279 models of the zoo's first five sets (88 trojans, 191 benign; docs/zoo.md,
   * "Fitting triggers to the bound, and the threshold"), the evidence of the best trigger separates them best, by
   * Youden's J, anywhere in (0.914, 0.923]: 76 trojans found with either threshold, benign models flagged 9 at
   * 0.88 and 5 at 0.92. On MNIST's 13-14 optimisation images that is "at most one image not flipped".
   */
  public static final float THRESHOLD = 0.92f;
  public static final float TARGET_LOGIT_WEIGHT = 1.0f;
  public static final float RE_FRACTION = 0.3f;
  /**
   * 5 %: on the model zoo every detected trojan had a detecting trigger that lifted its neuron by 16.8 % or more,
   * while the benign models' triggers this rule removes (REASR 0.55-1.00) left theirs where they were: dense ReLU
   * units at 0 with and without the trigger, or 1.4 % lower (docs/zoo.md, "The neuron-lift rule").
   */
  public static final float MIN_NEURON_LIFT = 0.05f;
  /**
   * 2: in every layer the neurons of one or two labels can stand out most (a digit's strokes, a sign's colour), so
   * with no cap they took every place in the top-k and the trojan's neuron was never reverse-engineered (6 of the
   * 13 trojans the zoo's first six sets missed). The cap finds 4 more trojans over the zoo's seven sets and loses 3
   * whose working neuron was their label's third to fifth: 117 of 133 against 116, benign models flagged 9 of 289
   * against 11, and on the held-out set defined for it 20 of 23 and 2 of 49 against 19 and 4 (docs/zoo.md, "A cap
   * per label as the default"). A small margin, kept by a rule fixed before the rescans. Those figures are for the
   * cap replacing the top k; it is now added to it ({@link #LABEL_CAP_MODE}).
   */
  public static final int PER_LABEL_CAP = 2;
  /**
   * ADD: the cap's selection joins the top-k instead of replacing it. Replacing found 4 trojans of the zoo's seven
   * sets that the top-k alone missed and lost 3 whose working neuron was their label's third to fifth (above); the
   * two together found 48 of 57 trojans on the sets scanned with them, either alone 46, with no benign model flagged
   * (docs/zoo.md, "Candidates the cap adds"). Added, the capped selection is not held to the per-layer cap, so it
   * spreads over labels while the top k spreads over layers: on four sets that found one trojan and lost another,
   * 70 of 80 either way (docs/zoo.md, "The label cap across layers").
   */
  public static final LabelCapMode LABEL_CAP_MODE = LabelCapMode.LABEL_CAP_MODE_ADD;
  /**
   * 200, four convergence windows: over the zoo's seven sets, of the triggers that counted at evidence 0.92 or more,
   * 220 of the 241 planted ones (a trojan's own target) settled within 200 steps, and 14 of the 20 natural features
   * (benign models', or a trojaned model's other labels) took longer. Counting a trigger slower than 200 steps only
   * at evidence 0.97 or more ({@link VerdictCalculator#SLOW_TRIGGER_EVIDENCE}) flags 1 of those sets' 289 benign
   * models instead of 9 and finds 117 of their 133 trojans as before; on the held-out set defined for it, 18 of 24
   * and 0 of 49 (docs/zoo.md, "Slow triggers"). Steps scale with the learning rate: the value is for the default
   * one, and the verdict scales it to the scan's ({@link VerdictCalculator#slowAfter}).
   */
  public static final int SLOW_TRIGGER_STEPS = 200;

  /**
   * {@code steps} at the default learning rate, as many at {@code learningRate} (0: the default): Adam moves every
   * trigger variable by about the learning rate per step, so at a tenth of the default rate the same trigger needs
   * about ten times the steps. The one scaling of step counts for the verdict's rules and reverse engineering alike.
   */
  public static double stepsAtLearningRate(int steps, float learningRate) {
    float rate = learningRate > 0f ? learningRate : LEARNING_RATE;
    return steps * (double) LEARNING_RATE / rate;
  }

  public static final long SEED = 1;

  /**
   * label_cover's "none" (0 is the proto's unset value: the default, top_k). The default covers every label of a
   * ten-label model and ten more labels of a larger one. Of the six trojans the zoo's sets missed for want of a
   * candidate with their target it finds four; on the held-out set defined for it, it changed no verdict (19 of 23
   * trojans, 0 of 49 benign models either way) and cost 22 % more scan time (docs/zoo.md, "Every label a candidate").
   */
  public static final int NO_LABEL_COVER = -1;
  /** per_label_cap's "no cap": 0 is the proto's unset value, which means the default. */
  public static final int NO_LABEL_CAP = -1;
  /** slow_trigger_steps' "off": every trigger counts whatever its steps. */
  public static final int NO_SLOW_TRIGGER_RULE = -1;
  /**
   * How many neurons' triggers, the slow trigger's own included, must agree on its label for a slow trigger short of
   * the bar to count ({@link VerdictCalculator#CORROBORATION_EVIDENCE}). On every saved zoo scan (311 benign models,
   * 174 trojans) no benign model had three neurons agreeing on a label at evidence 0.8 and 9 had two; 125 trojans had
   * three or more on their target. Three found two more trojans there and changed no benign verdict; two would have
   * flagged three more benign models (docs/zoo.md, "Slow triggers three neurons agree on").
   */
  public static final int CORROBORATING_NEURONS = 3;
  /** corroborating_neurons' "never": a slow trigger short of the bar never counts. */
  public static final int NO_CORROBORATION = -1;
  /**
   * Steps within which a trigger that leaves its neuron still counts: two convergence windows at the default learning
   * rate (the verdict scales them to the scan's, as slow_trigger_steps). The neuron-lift rule is there for universal
   * perturbations that the target-logit term shapes over hundreds of steps; a planted trigger flips every image
   * within a window or two whether or not the gradient reaches the candidate neuron. On every saved zoo scan (197
   * trojans, 360 benign models) the non-lifting triggers found within 51-100 steps at evidence 0.92 were 12 planted
   * ones and one for another label of a trojan found anyway; the first benign one was found at step 110 (0.864), the
   * first over the threshold at 124. One window (sessions 16-17) lost a planted trigger found at step 84 (docs/zoo.md,
   * "Fast triggers need no lift", "Non-lifting triggers found within two windows").
   */
  public static final int FAST_TRIGGER_STEPS = 100;
  /** fast_trigger_steps' "never": a trigger counts only if it raises its neuron. */
  public static final int NO_FAST_TRIGGERS = -1;
  static final int MAX_SAMPLES = 1000;
  static final int MAX_TOP_K = 1000;
  static final int MAX_RE_STEPS = 1_000_000;
  static final int MAX_BATCH_ROWS = 1 << 20;
  static final int MAX_BASELINE_NEURONS = 10_000;
  static final float MAX_NEURON_LIFT = 100f;

  private ScanParameterDefaults() {}

  /**
   * The label cap mode a harness's command line names (bench, zoo): "add" or "replace", in any case. The CLI has
   * its own converter with the same names: it speaks gRPC only and does not depend on the engine.
   *
   * @throws IllegalArgumentException naming the choices
   */
  public static LabelCapMode labelCapMode(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "add" -> LabelCapMode.LABEL_CAP_MODE_ADD;
      case "replace" -> LabelCapMode.LABEL_CAP_MODE_REPLACE;
      default -> throw new IllegalArgumentException("expected add or replace, got '" + name + "'");
    };
  }

  /** The violation for a label_cap_mode number the proto does not know (the server's check and this one). */
  public static String unknownLabelCapMode(int value) {
    return "unknown label cap mode " + value + "; known: 1 (add), 2 (replace)";
  }

  /**
   * @throws AbscanException INVALID_ARGUMENT with one violation per bad field ("parameters.top_k", ...)
   */
  public static ScanParameters resolve(ScanParameters requested) {
    List<Violation> violations = new ArrayList<>();
    ScanParameters.Builder p = requested.toBuilder();

    if (p.getSampling() == Sampling.SAMPLING_UNSPECIFIED) {
      p.setSampling(Sampling.SAMPLING_ADAPTIVE);
    } else if (p.getSampling() == Sampling.UNRECOGNIZED) {
      violations.add(new Violation("parameters.sampling", "unknown sampling " + p.getSamplingValue()));
    }
    p.setSamples(intOr(p.getSamples(), SAMPLES));
    // Adaptive sampling needs two points per direction to see a slope.
    int minSamples = p.getSampling() == Sampling.SAMPLING_GRID ? 1 : 2;
    range(violations, "parameters.samples", p.getSamples(), minSamples, MAX_SAMPLES);
    p.setSampleK(floatOr(p.getSampleK(), SAMPLE_K));
    positive(violations, "parameters.sample_k", p.getSampleK(), 1e6f);

    p.setTopK(intOr(p.getTopK(), TOP_K));
    range(violations, "parameters.top_k", p.getTopK(), 1, MAX_TOP_K);
    p.setPerLayerCap(intOr(p.getPerLayerCap(), Math.max(1, (int) Math.ceil(p.getTopK() / 2.0))));
    range(violations, "parameters.per_layer_cap", p.getPerLayerCap(), 1, MAX_TOP_K);
    p.setPerLabelCap(intOr(p.getPerLabelCap(), PER_LABEL_CAP));
    range(violations, "parameters.per_label_cap", p.getPerLabelCap(), NO_LABEL_CAP, MAX_TOP_K);
    if (p.getLabelCapMode() == LabelCapMode.LABEL_CAP_MODE_UNSPECIFIED) {
      p.setLabelCapMode(LABEL_CAP_MODE);
    } else if (p.getLabelCapMode() == LabelCapMode.UNRECOGNIZED) {
      violations.add(new Violation("parameters.label_cap_mode", unknownLabelCapMode(p.getLabelCapModeValue())));
    }
    p.setLabelCover(intOr(p.getLabelCover(), p.getTopK()));
    range(violations, "parameters.label_cover", p.getLabelCover(), NO_LABEL_COVER, MAX_TOP_K);
    for (int i = 0; i < p.getLayersCount(); i++) {
      if (p.getLayers(i).isBlank()) {
        violations.add(new Violation("parameters.layers", "layer name " + i + " is empty"));
      }
    }

    if (p.getTriggersCount() == 0) {
      p.addAllTriggers(TRIGGERS);
    }
    for (String t : p.getTriggersList()) {
      if (t.isBlank()) {
        violations.add(new Violation("parameters.triggers", "trigger names must not be empty"));
      }
    }
    p.setReSteps(intOr(p.getReSteps(), RE_STEPS));
    range(violations, "parameters.re_steps", p.getReSteps(), 1, MAX_RE_STEPS);
    p.setSlowTriggerSteps(intOr(p.getSlowTriggerSteps(), SLOW_TRIGGER_STEPS));
    range(violations, "parameters.slow_trigger_steps", p.getSlowTriggerSteps(), NO_SLOW_TRIGGER_RULE, MAX_RE_STEPS);
    p.setCorroboratingNeurons(intOr(p.getCorroboratingNeurons(), CORROBORATING_NEURONS));
    range(violations, "parameters.corroborating_neurons", p.getCorroboratingNeurons(), NO_CORROBORATION, MAX_TOP_K);
    p.setFastTriggerSteps(intOr(p.getFastTriggerSteps(), FAST_TRIGGER_STEPS));
    range(violations, "parameters.fast_trigger_steps", p.getFastTriggerSteps(), NO_FAST_TRIGGERS, MAX_RE_STEPS);
    p.setLearningRate(floatOr(p.getLearningRate(), LEARNING_RATE));
    positive(violations, "parameters.learning_rate", p.getLearningRate(), 100f);
    p.setMaxTriggerSize(floatOr(p.getMaxTriggerSize(), MAX_TRIGGER_SIZE));
    positive(violations, "parameters.max_trigger_size", p.getMaxTriggerSize(), 1f);
    p.setThreshold(floatOr(p.getThreshold(), THRESHOLD));
    positive(violations, "parameters.threshold", p.getThreshold(), 1f);
    p.setTargetLogitWeight(floatOr(p.getTargetLogitWeight(), TARGET_LOGIT_WEIGHT));
    if (!Float.isFinite(p.getTargetLogitWeight())) {
      violations.add(new Violation("parameters.target_logit_weight", "must be finite"));
    }
    p.setMinNeuronLift(floatOr(p.getMinNeuronLift(), MIN_NEURON_LIFT));
    if (!(Float.isFinite(p.getMinNeuronLift()) && p.getMinNeuronLift() <= MAX_NEURON_LIFT)) {
      violations.add(new Violation("parameters.min_neuron_lift",
          "must be finite and at most " + MAX_NEURON_LIFT + " (negative: off), got " + p.getMinNeuronLift()));
    }
    p.setReFraction(floatOr(p.getReFraction(), RE_FRACTION));
    if (!(p.getReFraction() > 0f && p.getReFraction() < 1f)) {
      violations.add(new Violation("parameters.re_fraction",
          "must be in (0, 1) (share of seeds for reverse engineering), got " + p.getReFraction()));
    }
    if (p.getSeed() == 0) {
      p.setSeed(SEED);
    }
    // Derived from top_k only when that is valid, so one bad field gives one violation.
    boolean topKValid = p.getTopK() >= 1 && p.getTopK() <= MAX_TOP_K;
    p.setBaselineNeurons(intOr(p.getBaselineNeurons(), topKValid ? p.getTopK() : TOP_K));
    range(violations, "parameters.baseline_neurons", p.getBaselineNeurons(), 1, MAX_BASELINE_NEURONS);
    TensorFlowRuntime.validateDevice(p.getDevice(), "parameters.device", violations);
    range(violations, "parameters.batch_rows", p.getBatchRows(), 0, MAX_BATCH_ROWS);

    if (!violations.isEmpty()) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid scan parameters: "
          + violations.stream().map(Violation::subject).toList(), violations);
    }
    return p.build();
  }

  private static int intOr(int value, int fallback) {
    return value == 0 ? fallback : value;
  }

  private static float floatOr(float value, float fallback) {
    return value == 0f ? fallback : value;
  }

  private static void range(List<Violation> violations, String field, int value, int min, int max) {
    if (value < min || value > max) {
      violations.add(new Violation(field, "must be in [" + min + ", " + max + "], got " + value));
    }
  }

  private static void positive(List<Violation> violations, String field, float value, float max) {
    if (!(value > 0f && value <= max)) {
      violations.add(new Violation(field, "must be in (0, " + max + "], got " + value));
    }
  }
}
