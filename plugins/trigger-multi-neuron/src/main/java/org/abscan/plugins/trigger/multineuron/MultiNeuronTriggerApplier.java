package org.abscan.plugins.trigger.multineuron;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abscan.plugins.trigger.pixel.PixelTriggerBatch;
import org.abscan.plugins.trigger.pixel.PixelTriggerConfig;
import org.abscan.spi.trigger.NeuronCandidate;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerBatch;
import org.abscan.spi.trigger.TriggerKind;
import org.abscan.spi.trigger.TriggerSpec;
import org.tensorflow.op.Ops;

/**
 * Appendix F: candidates of the same layer and target label share one pixel trigger, and the engine maximises
 * the sum of their activations. Groups hold at most {@code maxNeurons} candidates, taken in the order given
 * (Algorithm 1's ranking); a candidate alone in its (layer, label) stays a single-neuron trigger.
 */
public final class MultiNeuronTriggerApplier implements TriggerApplier {
  private final int maxNeurons;
  private final PixelTriggerConfig pixel;

  public MultiNeuronTriggerApplier(int maxNeurons, PixelTriggerConfig pixel) {
    if (maxNeurons < 1) {
      throw new IllegalArgumentException("maxNeurons must be >= 1");
    }
    this.maxNeurons = maxNeurons;
    this.pixel = pixel;
  }

  @Override
  public TriggerKind kind() {
    return TriggerKind.PIXEL;
  }

  @Override
  public List<List<Integer>> group(List<NeuronCandidate> candidates) {
    record Key(String layer, int label) {}
    Map<Key, List<List<Integer>>> byKey = new LinkedHashMap<>();
    List<List<Integer>> groups = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      NeuronCandidate c = candidates.get(i);
      List<List<Integer>> chunks = byKey.computeIfAbsent(new Key(c.layer(), c.targetLabel()), k -> new ArrayList<>());
      List<Integer> open = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
      if (open == null || open.size() >= maxNeurons) {
        open = new ArrayList<>();
        chunks.add(open);
        groups.add(open);
      }
      open.add(i);
    }
    return groups.stream().map(List::copyOf).toList();
  }

  @Override
  public TriggerBatch declare(Ops tf, TriggerSpec spec) {
    return PixelTriggerBatch.declare(tf, spec, pixel);
  }
}
