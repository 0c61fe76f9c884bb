package org.abscan.plugins.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.junit.jupiter.api.Test;

/** model_config variants the fixtures do not cover. */
class KerasConfigParserTest {

  @Test
  void oldSequentialWithoutInputLayerGetsKerasStyleInput() {
    KerasTopology topology = KerasConfigParser.parse("""
        {"class_name": "Sequential", "config": [
          {"class_name": "Conv2D", "config": {"name": "conv2d_1", "batch_input_shape": [null, 8, 8, 3]}},
          {"class_name": "Flatten", "config": {"name": "flatten_1"}}]}
        """);
    assertEquals("conv2d_1_input", topology.input().name());
    assertArrayEquals(new long[] {8, 8, 3}, topology.inputShape());
    assertEquals(List.of("conv2d_1_input"), topology.layers().get(0).inputs());
    assertEquals("flatten_1", topology.output());
  }

  @Test
  void functionalLayersAreOrderedByDependencyAndUnusedOnesDropped() {
    KerasTopology topology = KerasConfigParser.parse("""
        {"class_name": "Model", "config": {"name": "m",
          "layers": [
            {"class_name": "Add", "name": "sum", "config": {"name": "sum"},
             "inbound_nodes": [[["a", 0, 0, {}], ["b", 0, 0, {}]]]},
            {"class_name": "ReLU", "name": "b", "config": {"name": "b"}, "inbound_nodes": [[["a", 0, 0, {}]]]},
            {"class_name": "ReLU", "name": "unused", "config": {"name": "unused"},
             "inbound_nodes": [[["in", 0, 0, {}]]]},
            {"class_name": "ReLU", "name": "a", "config": {"name": "a"}, "inbound_nodes": [[["in", 0, 0, {}]]]},
            {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 2, 2, 1]},
             "inbound_nodes": []}],
          "input_layers": [["in", 0, 0]], "output_layers": [["sum", 0, 0]]}}
        """);
    assertEquals(List.of("a", "b", "sum"), topology.layers().stream().map(KerasLayer::name).toList());
    assertEquals(List.of("a", "b"), topology.layers().get(2).inputs());
  }

  @Test
  void cyclesAndSeveralOutputsAreRefused() {
    AbscanException cycle = assertThrows(AbscanException.class, () -> KerasConfigParser.parse("""
        {"class_name": "Functional", "config": {"name": "m",
          "layers": [
            {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 2, 2, 1]},
             "inbound_nodes": []},
            {"class_name": "Add", "name": "x", "config": {"name": "x"},
             "inbound_nodes": [[["in", 0, 0, {}], ["y", 0, 0, {}]]]},
            {"class_name": "ReLU", "name": "y", "config": {"name": "y"}, "inbound_nodes": [[["x", 0, 0, {}]]]}],
          "input_layers": [["in", 0, 0]], "output_layers": [["y", 0, 0]]}}
        """));
    assertEquals(ErrorCategory.MALFORMED_MODEL, cycle.category());
    AbscanException outputs = assertThrows(AbscanException.class, () -> KerasConfigParser.parse("""
        {"class_name": "Functional", "config": {"name": "m",
          "layers": [
            {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 2, 2, 1]},
             "inbound_nodes": []}],
          "input_layers": [["in", 0, 0]], "output_layers": [["in", 0, 0], ["in", 0, 0]]}}
        """));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, outputs.category());
  }

  @Test
  void variableInputSizesAreUnsupported() {
    AbscanException e = assertThrows(AbscanException.class, () -> KerasConfigParser.parse("""
        {"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, null, null, 3]}}]}}
        """));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category());
    assertEquals("in", e.violations().get(0).subject());
  }
}
