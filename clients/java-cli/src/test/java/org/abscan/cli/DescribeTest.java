package org.abscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.abscan.cli.report.Describe;
import org.abscan.cli.testing.Fixtures;
import org.abscan.proto.scan.v1.Candidate;
import org.junit.jupiter.api.Test;

class DescribeTest {
  @Test
  void pixelTriggersGiveTheirMaskSizeAndFeatureTriggersTheirKind() {
    Candidate pixel = Fixtures.candidate(7, 0, 0.9f);
    assertEquals("mask 4.0% of the input", Describe.size(pixel));
    assertEquals("mask 4.0% of the input (over the size bound: not counted)",
        Describe.size(pixel.toBuilder().setWithinSizeBound(false).build()));
    assertEquals("feature-space trigger",
        Describe.size(pixel.toBuilder().setTrigger("filter").setTriggerKind("feature").setMaskSize(0).build()));
    assertEquals("mask 4.0% of the input (does not raise its neuron: counted by default only if found within 100 steps)",
        Describe.size(pixel.toBuilder().setRaisesNeuron(false).build()));
  }

  @Test
  void multiNeuronCandidatesListTheirNeurons() {
    Candidate multi = Fixtures.candidate(7, 0, 0.9f).toBuilder().addNeurons(3).addNeurons(7).build();
    assertEquals("conv2d_2 neurons 3,7", Describe.neurons(multi));
    assertEquals("conv2d_2 neuron 7", Describe.neurons(Fixtures.candidate(7, 0, 0.9f)));
  }
}
