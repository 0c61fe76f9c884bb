package org.abscan.cli.progress;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.abscan.cli.report.Describe;
import org.abscan.proto.scan.v1.Candidate;
import org.abscan.proto.scan.v1.CandidateResult;
import org.abscan.proto.scan.v1.ModelLoaded;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.proto.scan.v1.StimulationProgress;
import org.abscan.proto.scan.v1.TriggerProgress;

/**
 * Renders a call's progress on stderr. This class decides what to say about each event; subclasses decide
 * how: one-off {@link #line lines} and {@link #bar bars} for counters that advance.
 */
public abstract class ProgressPrinter {
  /** Progress on stderr: nothing when quiet, a redrawn bar on a terminal, plain lines otherwise. */
  public static ProgressPrinter choose(boolean quiet, boolean interactive, PrintWriter err) {
    if (quiet) {
      return new SilentProgress();
    }
    return interactive ? new TerminalProgress(err, terminalWidth()) : new PlainProgress(err);
  }

  /** Shells export COLUMNS only sometimes; without it the bars assume 100 columns. */
  private static int terminalWidth() {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "0").trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Candidates selected for reverse engineering, and results received per trigger, for the RE counter. */
  private int candidatesSelected;
  private final Map<String, Integer> resultsPerTrigger = new HashMap<>();

  /** A message that stands on its own line. */
  public abstract void line(String message);

  /**
   * A counter that advances; {@code key} names it (one bar per key), {@code detail} follows the numbers.
   */
  public abstract void bar(String key, String label, long done, long total, String detail);

  /** The call has ended: leave the terminal on a fresh line. */
  public abstract void finish();

  /** A step without a count (loading the model): a running bar on a terminal; logs need no line for it. */
  public void indefinite(String key, String label) {}

  /** The step {@code key} is over (its bar, if one is shown, completes and stays). */
  public void settle(String key) {}

  /**
   * Reverse engineering with {@code trigger}: {@code done} of {@code total} candidates have results;
   * {@code step} (null when a result arrived) is the optimisation step of the batch in flight. Logs show the
   * steps as a counter (each result has its own line); terminals override this to show one candidate bar.
   */
  protected void reverseEngineering(String trigger, int done, int total, TriggerProgress step) {
    if (step != null) {
      onTrigger(step);
    }
  }

  public void onScanEvent(ScanEvent event) {
    switch (event.getKindCase()) {
      case ACCEPTED -> {
        line("scan " + event.getAccepted().getScanId() + " accepted");
        indefinite("load", "loading model");
      }
      case QUEUED -> line("queued, position " + event.getQueued().getPosition());
      case MODEL_LOADED -> {
        settle("load");
        line(describe(event.getModelLoaded()));
      }
      case STIMULATION_PROGRESS -> onStimulation(event.getStimulationProgress());
      case CANDIDATES_SELECTED -> {
        settle("stimulation");
        candidatesSelected = event.getCandidatesSelected().getCandidatesCount();
        line(candidatesSelected + " candidate neuron(s) selected");
        int index = 0;
        for (Candidate candidate : event.getCandidatesSelected().getCandidatesList()) {
          line(String.format(Locale.ROOT, "  #%d %s -> label %d (elevation %.3f)", index++,
              Describe.neurons(candidate), candidate.getTargetLabel(), candidate.getElevationScore()));
        }
      }
      case TRIGGER_PROGRESS -> {
        TriggerProgress step = event.getTriggerProgress();
        reverseEngineering(step.getTrigger(), resultsPerTrigger.getOrDefault(step.getTrigger(), 0),
            candidatesSelected, step);
      }
      case CANDIDATE_RESULT -> {
        CandidateResult result = event.getCandidateResult();
        String trigger = result.getCandidate().getTrigger();
        int done = resultsPerTrigger.merge(trigger, 1, Integer::sum);
        line(describe(result));
        reverseEngineering(trigger, done, candidatesSelected, null);
      }
      case REPORT -> {
        finish(); // the last bar completes above the closing line
        line(String.format(Locale.ROOT, "scan finished in %.1f s",
            event.getReport().getTimings().getTotalSeconds()));
      }
      default -> {
        // FAILED ends the call with an error the command reports; unknown kinds come from newer servers.
      }
    }
  }

  public void onStimulation(StimulationProgress progress) {
    bar("stimulation", "stimulating", progress.getAllNeuronsDone(), progress.getAllNeuronsTotal(),
        String.format(Locale.ROOT, "layer %s %d/%d", progress.getLayer(), progress.getNeuronsDone(),
            progress.getNeuronsTotal()));
  }

  public void onTrigger(TriggerProgress progress) {
    bar("trigger-" + progress.getCandidateIndex() + "-" + progress.getTrigger(),
        "candidate #" + progress.getCandidateIndex() + " " + progress.getTrigger(),
        progress.getStep(), progress.getMaxSteps(),
        String.format(Locale.ROOT, "loss %.4f, mask %.1f%%", progress.getLoss(), 100 * progress.getMaskSize()));
  }

  private static String describe(ModelLoaded loaded) {
    return String.format(Locale.ROOT,
        "model loaded: %s, %d labels, %d candidate layers, %d neurons, %d seed images",
        loaded.getFormat(), loaded.getNumLabels(), loaded.getCandidateLayers(), loaded.getTotalNeurons(),
        loaded.getSeedImages());
  }

  private static String describe(CandidateResult result) {
    Candidate candidate = result.getCandidate();
    return String.format(Locale.ROOT, "candidate #%d %s %s trigger -> label %d: REASR %.3f, %s",
        result.getCandidateIndex(), Describe.neurons(candidate), candidate.getTrigger(),
        candidate.getTargetLabel(), candidate.getReasr(), Describe.size(candidate));
  }
}
