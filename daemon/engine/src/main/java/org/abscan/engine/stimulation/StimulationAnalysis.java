package org.abscan.engine.stimulation;

import java.util.ArrayList;
import java.util.List;
import org.abscan.engine.Cancellation;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Section 4.1 over one layer: samples the stimulation functions of the requested neurons on every seed image.
 *
 * <p>Neurons are processed in chunks whose samples fit a memory budget. Within a chunk every neuron's
 * sampler proposes points, all (neuron, image, value) rows of the round are run in batches of at most
 * {@link StimulationSettings#rowsPerRun} rows (the last batch may be smaller; nothing is skipped), the
 * samplers see the results and propose again until all are done.
 */
public final class StimulationAnalysis {
  private static final Logger LOG = LogManager.getLogger(StimulationAnalysis.class);
  /** Floats of samples (images x points x labels) held per chunk. */
  private static final long CHUNK_SAMPLE_BUDGET_FLOATS = 16L << 20;

  /** Receives each finished neuron. */
  @FunctionalInterface
  public interface NeuronListener {
    void accept(NeuronNsf nsf);
  }

  /** Receives the neurons done so far in the layer. */
  @FunctionalInterface
  public interface ProgressListener {
    void progress(int neuronsDone, int neuronsTotal);
  }

  private final StimulationGraph graph;
  private final StimulationSettings settings;
  private final Cancellation cancellation;
  private long rowsRun;

  public StimulationAnalysis(StimulationGraph graph, StimulationSettings settings, Cancellation cancellation) {
    this.graph = graph;
    this.settings = settings;
    this.cancellation = cancellation;
  }

  /** Stimulated rows run so far (for logs and benchmarks). */
  public long rowsRun() {
    return rowsRun;
  }

  public void analyse(LayerBase base, int[] neurons, int[] trueLabels, NeuronListener out,
      ProgressListener progress) {
    int rowsPerRun = settings.rowsPerRun(base.spec().elementsPerNeuron() * base.spec().neurons());
    long perNeuronFloats = (long) base.images() * settings.maxSamples() * base.numLabels();
    int byMemory = (int) Math.max(1, CHUNK_SAMPLE_BUDGET_FLOATS / Math.max(1, perNeuronFloats));
    // Enough neurons per chunk that the first round fills a few runs.
    int byBatch = (int) Math.max(1,
        (4L * rowsPerRun + (long) base.images() * settings.initialSamples() - 1)
            / ((long) base.images() * settings.initialSamples()));
    int chunk = Math.max(1, Math.min(byMemory, byBatch));
    LOG.debug("layer {}: {} neurons, {} rows per run, {} neurons per chunk", base.spec().name(),
        neurons.length, rowsPerRun, chunk);
    boolean shortcut = settings.linearShortcut() && graph.prepareShortcut(base, rowsPerRun);
    LOG.debug("layer {}: linear shortcut {}", base.spec().name(), shortcut ? "used" : "not used");
    try {
      analyseChunks(base, neurons, trueLabels, out, progress, chunk, rowsPerRun);
    } finally {
      graph.releaseShortcut(base);
    }
  }

  private void analyseChunks(LayerBase base, int[] neurons, int[] trueLabels, NeuronListener out,
      ProgressListener progress, int chunk, int rowsPerRun) {
    int done = 0;
    for (int start = 0; start < neurons.length; start += chunk) {
      int end = Math.min(neurons.length, start + chunk);
      List<NeuronSampling> samplings = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        samplings.add(settings.newSampling(base, neurons[i]));
      }
      sample(base, samplings, rowsPerRun);
      for (NeuronSampling s : samplings) {
        out.accept(s.finish(base.spec().name(), base, trueLabels));
      }
      done = end;
      progress.progress(done, neurons.length);
    }
  }

  private void sample(LayerBase base, List<NeuronSampling> samplings, int rowsPerRun) {
    int images = base.images();
    int labels = base.numLabels();
    List<NeuronSampling> active = new ArrayList<>(samplings);
    while (!active.isEmpty()) {
      // One round: every active neuron's proposed points on every image.
      List<NeuronSampling> owners = new ArrayList<>();
      List<List<Float>> proposals = new ArrayList<>();
      long rows = 0;
      for (NeuronSampling s : active) {
        List<Float> xs = s.propose();
        if (!xs.isEmpty()) {
          owners.add(s);
          proposals.add(xs);
          rows += (long) xs.size() * images;
        }
      }
      active = owners;
      if (rows == 0) {
        break;
      }
      int[] imageIndex = new int[rowsPerRun];
      int[] neuronIndex = new int[rowsPerRun];
      float[] value = new float[rowsPerRun];
      NeuronSampling[] rowOwner = new NeuronSampling[rowsPerRun];
      float[] rowPoint = new float[rowsPerRun];
      int filled = 0;
      for (int o = 0; o < owners.size(); o++) {
        NeuronSampling s = owners.get(o);
        for (float x : proposals.get(o)) {
          for (int j = 0; j < images; j++) {
            imageIndex[filled] = j;
            neuronIndex[filled] = s.neuron();
            value[filled] = s.value(j, x);
            rowOwner[filled] = s;
            rowPoint[filled] = x;
            if (++filled == rowsPerRun) {
              run(base, imageIndex, neuronIndex, value, rowOwner, rowPoint, filled, labels);
              filled = 0;
            }
          }
        }
      }
      if (filled > 0) {
        run(base, imageIndex, neuronIndex, value, rowOwner, rowPoint, filled, labels);
      }
    }
  }

  private void run(LayerBase base, int[] imageIndex, int[] neuronIndex, float[] value,
      NeuronSampling[] rowOwner, float[] rowPoint, int rows, int labels) {
    cancellation.check();
    float[] logits = graph.runStimulated(base, imageIndex, neuronIndex, value, rows);
    rowsRun += rows;
    for (int r = 0; r < rows; r++) {
      rowOwner[r].record(rowPoint[r], imageIndex[r], logits, r * labels);
    }
  }
}
