package org.abscan.plugins.trigger.multineuron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.testkit.TriggerApplierContractTest;
import org.abscan.spi.trigger.NeuronCandidate;
import org.abscan.spi.trigger.TriggerApplierFactory;
import org.abscan.spi.trigger.TriggerKind;
import org.junit.jupiter.api.Test;

class MultiNeuronTriggerApplierTest extends TriggerApplierContractTest {
  @Override
  protected boolean fitsToBound() {
    return true; // its triggers are pixel masks
  }

  @Override
  protected TriggerApplierFactory factory() {
    return new MultiNeuronTriggerApplierFactory();
  }

  @Override
  protected String expectedName() {
    return "multi-neuron";
  }

  @Override
  protected TriggerKind expectedKind() {
    return TriggerKind.PIXEL;
  }

  @Override
  protected Map<String, String> validConfig() {
    return Map.of("max_neurons", "2", "mask_init", "0.5");
  }

  @Test
  void groupsByLayerAndLabelUpToMaxNeurons() {
    List<NeuronCandidate> candidates = List.of(
        new NeuronCandidate("conv1", 3, 0, 5f), // 0
        new NeuronCandidate("conv2", 1, 0, 4f), // 1: other layer
        new NeuronCandidate("conv1", 7, 0, 3f), // 2: joins 0
        new NeuronCandidate("conv1", 8, 0, 2f), // 3: group of 0 is full (max 2)
        new NeuronCandidate("conv1", 9, 4, 1f)); // 4: other label, alone
    List<List<Integer>> groups =
        factory().create(Map.of("max_neurons", "2"), context()).group(candidates);
    assertEquals(List.of(List.of(0, 2), List.of(1), List.of(3), List.of(4)), groups);
  }

  @Test
  void defaultGroupsThreeNeurons() {
    List<NeuronCandidate> candidates = List.of(
        new NeuronCandidate("d", 0, 1, 1f), new NeuronCandidate("d", 1, 1, 1f),
        new NeuronCandidate("d", 2, 1, 1f), new NeuronCandidate("d", 3, 1, 1f));
    assertEquals(List.of(List.of(0, 1, 2), List.of(3)),
        factory().create(Map.of(), context()).group(candidates));
  }

  @Test
  void maxNeuronsMustBePositive() {
    AbscanException e = assertThrows(AbscanException.class,
        () -> factory().create(Map.of("max_neurons", "0"), context()));
    assertEquals("max_neurons", e.violations().get(0).subject());
  }
}
