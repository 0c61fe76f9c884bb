package org.abscan.plugins.savedmodel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/** The nodes of a GraphDef by name, with the reference syntax of NodeDef inputs ("name", "name:1", "^ctrl"). */
final class GraphNodes {
  private final Map<String, NodeDef> byName = new LinkedHashMap<>();
  private final Map<String, List<NodeDef>> consumers = new HashMap<>();

  GraphNodes(GraphDef graph) {
    for (NodeDef node : graph.getNodeList()) {
      if (byName.put(node.getName(), node) != null) {
        throw SavedModelErrors.malformed(node.getName(), "the graph has two nodes named " + node.getName());
      }
    }
    for (NodeDef node : graph.getNodeList()) {
      for (String input : node.getInputList()) {
        if (!isControl(input)) {
          consumers.computeIfAbsent(nodeName(input), k -> new ArrayList<>()).add(node);
        }
      }
    }
  }

  /** "conv/Relu:0" and "^conv/Relu" to "conv/Relu". */
  static String nodeName(String reference) {
    String name = reference.startsWith("^") ? reference.substring(1) : reference;
    int colon = name.lastIndexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }

  /** "conv/Relu:1" to 1; "conv/Relu" to 0. */
  static int outputIndex(String reference) {
    int colon = reference.lastIndexOf(':');
    if (colon < 0) {
      return 0;
    }
    try {
      return Integer.parseInt(reference.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw SavedModelErrors.malformed(reference, "bad tensor reference " + reference, e);
    }
  }

  /** Canonical tensor name "node:index". */
  static String tensorName(String reference) {
    return nodeName(reference) + ":" + outputIndex(reference);
  }

  static boolean isControl(String input) {
    return input.startsWith("^");
  }

  NodeDef get(String name) {
    return byName.get(name);
  }

  NodeDef require(String name) {
    NodeDef node = byName.get(name);
    if (node == null) {
      throw SavedModelErrors.malformed(name, "the graph refers to a missing node " + name);
    }
    return node;
  }

  Collection<NodeDef> all() {
    return byName.values();
  }

  List<NodeDef> consumersOf(String name) {
    return consumers.getOrDefault(name, List.of());
  }

  /** The producer of a data input, following Identity nodes (what a layer really computes). */
  NodeDef producerSkippingIdentity(String reference) {
    NodeDef node = require(nodeName(reference));
    Set<String> seen = new HashSet<>();
    while (node.getOp().equals("Identity") && node.getInputCount() > 0 && seen.add(node.getName())) {
      node = require(nodeName(node.getInput(0)));
    }
    return node;
  }

  /**
   * The nodes {@code roots} depend on through data inputs, in an order where every node follows its inputs.
   * Control inputs are not followed: the allow-list leaves no op whose ordering has side effects.
   *
   * @param stopAt nodes whose inputs are not needed (the model input, frozen variables)
   */
  List<NodeDef> dataAncestorsInOrder(Collection<String> roots, Set<String> stopAt) {
    List<NodeDef> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> onStack = new HashSet<>();
    Deque<String[]> stack = new ArrayDeque<>();
    // Pushed in reverse so that roots, and each node's inputs, are visited first to last: for a concat of two
    // branches the first branch's layers come first, the order the model's author wrote them in.
    List<String> rootList = new ArrayList<>(roots);
    for (int i = rootList.size() - 1; i >= 0; i--) {
      stack.push(new String[] {rootList.get(i), "enter"});
    }
    // Iterative DFS (a deep graph must not overflow the Java stack).
    while (!stack.isEmpty()) {
      String[] frame = stack.pop();
      String name = frame[0];
      NodeDef node = require(name);
      if (frame[1].equals("exit")) {
        onStack.remove(name);
        if (done.add(name)) {
          order.add(node);
        }
        continue;
      }
      if (done.contains(name)) {
        continue;
      }
      if (!onStack.add(name)) {
        throw SavedModelErrors.malformed(name, "the graph has a cycle through " + name);
      }
      stack.push(new String[] {name, "exit"});
      if (stopAt.contains(name)) {
        continue;
      }
      for (int i = node.getInputCount() - 1; i >= 0; i--) {
        String input = node.getInput(i);
        if (!isControl(input) && !done.contains(nodeName(input))) {
          stack.push(new String[] {nodeName(input), "enter"});
        }
      }
    }
    return order;
  }
}
