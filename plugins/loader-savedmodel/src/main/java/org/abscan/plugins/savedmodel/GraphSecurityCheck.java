package org.abscan.plugins.savedmodel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SaverDef;

/**
 * Walks a GraphDef and every function of its library and lists each op outside {@link OpAllowList}. Runs on
 * the parsed protobuf only, before anything is handed to TensorFlow.
 *
 * <p>Checkpoint ops are allowed only in the saver subgraph: the top-level nodes the SaverDef's save and restore
 * ops depend on, and the functions called only from there (TF 2 savers call {@code __inference__traced_save}
 * style functions). Every function is checked whether or not anything calls it, since a function can be
 * reached in ways a static walk may miss (gradients, attrs of unknown ops).
 */
final class GraphSecurityCheck {
  private final GraphDef graph;
  private final SaverDef saver;
  private final String where;
  private final Map<String, FunctionDef> functions = new HashMap<>();
  private final List<Violation> violations = new ArrayList<>();

  private GraphSecurityCheck(GraphDef graph, SaverDef saver, String where) {
    this.graph = graph;
    this.saver = saver;
    this.where = where;
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
  }

  /**
   * The violations of {@code graph}.
   *
   * @param saver the meta graph's SaverDef, or null (a frozen GraphDef has no saver: no checkpoint op passes)
   * @param where prefix for violation subjects, e.g. "meta graph [serve]"; empty for a frozen GraphDef
   */
  static List<Violation> violations(GraphDef graph, SaverDef saver, String where) {
    GraphSecurityCheck check = new GraphSecurityCheck(graph, saver, where);
    check.run();
    return List.copyOf(check.violations);
  }

  /** Throws MODEL_REFUSED naming every offending op if there is any. */
  static void requireAllowed(List<Violation> violations, String modelDescription) {
    if (!violations.isEmpty()) {
      throw new AbscanException(
          ErrorCategory.MODEL_REFUSED,
          modelDescription + " contains " + violations.size()
              + " op(s) outside the allow-list; abscan refuses to load it: "
              + violations.stream().map(Violation::subject).toList(),
          violations);
    }
  }

  private void run() {
    Set<String> saverNodes = saverSubgraph();
    Set<String> saverRoots = new HashSet<>();
    Set<String> otherRoots = new HashSet<>();
    for (NodeDef node : graph.getNodeList()) {
      boolean inSaver = saverNodes.contains(node.getName());
      checkNode(node, inSaver, null);
      (inSaver ? saverRoots : otherRoots).addAll(calledFunctions(node));
    }
    Set<String> reachedFromSaver = closure(saverRoots);
    Set<String> reachedFromElsewhere = closure(otherRoots);
    for (FunctionDef function : graph.getLibrary().getFunctionList()) {
      String name = function.getSignature().getName();
      boolean saverOnly = reachedFromSaver.contains(name) && !reachedFromElsewhere.contains(name);
      for (NodeDef node : function.getNodeDefList()) {
        checkNode(node, saverOnly, name);
      }
    }
  }

  private void checkNode(NodeDef node, boolean inSaver, String function) {
    String op = node.getOp();
    boolean isFunctionCall = functions.containsKey(op);
    if (!isFunctionCall && !OpAllowList.allowed(op, inSaver)) {
      violations.add(violation(node, function, OpAllowList.reason(op)));
    }
    for (String called : calledFunctions(node)) {
      if (!functions.containsKey(called)) {
        violations.add(violation(node, function, "calls function " + called + ", which is not in the library"));
      }
    }
  }

  private Violation violation(NodeDef node, String function, String description) {
    StringBuilder subject = new StringBuilder();
    if (!where.isEmpty()) {
      subject.append(where).append(' ');
    }
    if (function != null) {
      subject.append("function ").append(function).append(' ');
    }
    subject.append("node ").append(node.getName()).append(" (op ").append(node.getOp()).append(')');
    return new Violation(subject.toString(), description);
  }

  /** Functions a node refers to: by op type, or through func / list(func) attrs (PartitionedCall, If, ...). */
  private Set<String> calledFunctions(NodeDef node) {
    Set<String> called = new HashSet<>();
    if (functions.containsKey(node.getOp())) {
      called.add(node.getOp());
    }
    for (AttrValue attr : node.getAttrMap().values()) {
      if (attr.hasFunc()) {
        called.add(attr.getFunc().getName());
      }
      for (NameAttrList f : attr.getList().getFuncList()) {
        called.add(f.getName());
      }
    }
    return called;
  }

  private Set<String> closure(Set<String> roots) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      FunctionDef f = functions.get(name);
      if (f == null || !seen.add(name)) {
        continue;
      }
      for (NodeDef node : f.getNodeDefList()) {
        todo.addAll(calledFunctions(node));
      }
    }
    return seen;
  }

  /** Top-level nodes the saver's save and restore ops depend on (data and control inputs). */
  private Set<String> saverSubgraph() {
    if (saver == null) {
      return Set.of();
    }
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef node : graph.getNodeList()) {
      byName.put(node.getName(), node);
    }
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (String root : List.of(saver.getRestoreOpName(), saver.getSaveTensorName())) {
      if (!root.isEmpty()) {
        todo.push(GraphNodes.nodeName(root));
      }
    }
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef node = byName.get(name);
      if (node == null || !seen.add(name)) {
        continue;
      }
      for (String input : node.getInputList()) {
        todo.push(GraphNodes.nodeName(input));
      }
    }
    return seen;
  }
}
