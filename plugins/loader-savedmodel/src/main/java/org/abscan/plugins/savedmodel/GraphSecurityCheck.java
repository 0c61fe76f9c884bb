package org.abscan.plugins.savedmodel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.plugins.savedmodel.OpAllowList.Context;
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
 * <p>Checkpoint ops are allowed only where a saver needs them. Reads: in what the SaverDef's restore op depends
 * on, reading from the SaverDef's filename tensor (which the loader feeds), so a model cannot restore some
 * other model's checkpoint. Writes: only in what the save tensor alone depends on, and never in anything that
 * runs at load time (the init ops), since abscan never saves. Functions inherit the context of their callers
 * (TF 2 savers call {@code __inference__traced_restore} style functions); a function called from two contexts
 * gets the strict one. Every function is checked whether or not anything calls it.
 */
final class GraphSecurityCheck {
  private final GraphDef graph;
  private final SaverDef saver;
  private final Set<String> loadTimeRoots;
  private final String where;
  private final Map<String, FunctionDef> functions = new HashMap<>();
  private final List<Violation> violations = new ArrayList<>();
  private GraphNodes topLevel;

  private GraphSecurityCheck(GraphDef graph, SaverDef saver, Set<String> loadTimeRoots, String where) {
    this.graph = graph;
    this.saver = saver;
    this.loadTimeRoots = loadTimeRoots;
    this.where = where;
    for (FunctionDef f : graph.getLibrary().getFunctionList()) {
      functions.put(f.getSignature().getName(), f);
    }
  }

  /**
   * The violations of {@code graph}.
   *
   * @param saver the meta graph's SaverDef, or null (a frozen GraphDef has no saver: no checkpoint op passes)
   * @param loadTimeRoots nodes TensorFlow runs while loading besides the restore op (main/init ops)
   * @param where prefix for violation subjects, e.g. "meta graph [serve]"; may be empty
   */
  static List<Violation> violations(GraphDef graph, SaverDef saver, Set<String> loadTimeRoots, String where) {
    GraphSecurityCheck check = new GraphSecurityCheck(graph, saver, loadTimeRoots, where);
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
    Map<String, Context> contexts = topLevelContexts();
    Map<Context, Set<String>> calledFrom = new HashMap<>();
    for (Context c : Context.values()) {
      calledFrom.put(c, new HashSet<>());
    }
    for (NodeDef node : graph.getNodeList()) {
      Context context = contexts.getOrDefault(node.getName(), Context.GRAPH);
      checkNode(node, context, null);
      calledFrom.get(context).addAll(calledFunctions(node));
    }
    Map<Context, Set<String>> reached = new HashMap<>();
    calledFrom.forEach((context, roots) -> reached.put(context, closure(roots)));
    for (FunctionDef function : graph.getLibrary().getFunctionList()) {
      String name = function.getSignature().getName();
      Context context = functionContext(name, reached);
      for (NodeDef node : function.getNodeDefList()) {
        checkNode(node, context, function);
      }
    }
  }

  private static Context functionContext(String name, Map<Context, Set<String>> reached) {
    boolean fromGraph = reached.get(Context.GRAPH).contains(name);
    boolean fromRestore = reached.get(Context.RESTORE).contains(name);
    boolean fromSave = reached.get(Context.SAVE).contains(name);
    if (fromRestore && !fromGraph && !fromSave) {
      return Context.RESTORE;
    }
    if (fromSave && !fromGraph && !fromRestore) {
      return Context.SAVE;
    }
    return Context.GRAPH;
  }

  private void checkNode(NodeDef node, Context context, FunctionDef function) {
    String op = node.getOp();
    String functionName = function == null ? null : function.getSignature().getName();
    boolean isFunctionCall = functions.containsKey(op);
    if (!isFunctionCall && !OpAllowList.allowed(op, context)) {
      violations.add(violation(node, functionName, OpAllowList.reason(op)));
    } else if (OpAllowList.RESTORE_ONLY.contains(op) && !readsSaverFile(node, function)) {
      violations.add(
          violation(node, functionName, "op " + op + " must read the checkpoint named by the saver's filename"));
    }
    for (String called : calledFunctions(node)) {
      if (!functions.containsKey(called)) {
        violations.add(
            violation(node, functionName, "calls function " + called + ", which is not in the library"));
      }
    }
  }

  /**
   * Whether a checkpoint read takes its file prefix (input 0) from the saver's filename tensor, directly or
   * through Identity; inside a function, from one of the function's arguments (which its caller passes).
   */
  private boolean readsSaverFile(NodeDef node, FunctionDef function) {
    if (node.getInputCount() == 0) {
      return false;
    }
    String prefix = node.getInput(0);
    if (function == null) {
      if (topLevel == null) {
        topLevel = new GraphNodes(graph);
      }
      NodeDef source = topLevel.get(GraphNodes.nodeName(prefix)) == null
          ? null : topLevel.producerSkippingIdentity(prefix);
      return source != null && saver != null
          && source.getName().equals(GraphNodes.nodeName(saver.getFilenameTensorName()));
    }
    Map<String, NodeDef> body = new HashMap<>();
    function.getNodeDefList().forEach(n -> body.put(n.getName(), n));
    Set<String> args = new HashSet<>();
    function.getSignature().getInputArgList().forEach(a -> args.add(a.getName()));
    Set<String> seen = new HashSet<>();
    // In a function body, "x" names an argument and "node:out:0" a node output.
    while (!args.contains(prefix) && seen.add(prefix)) {
      NodeDef source = body.get(prefix.split(":")[0]);
      if (source == null || !source.getOp().equals("Identity") || source.getInputCount() == 0) {
        return false;
      }
      prefix = source.getInput(0);
    }
    return args.contains(prefix);
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

  /**
   * RESTORE for what the restore op depends on; SAVE for what only the save tensor depends on, unless an
   * init op that runs at load time depends on it too; GRAPH for the rest.
   */
  private Map<String, Context> topLevelContexts() {
    Map<String, Context> contexts = new HashMap<>();
    if (saver == null) {
      return contexts;
    }
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef node : graph.getNodeList()) {
      byName.put(node.getName(), node);
    }
    Set<String> loadTime = ancestors(byName, loadTimeRoots);
    for (String name : ancestors(byName, List.of(saver.getSaveTensorName()))) {
      if (!loadTime.contains(name)) {
        contexts.put(name, Context.SAVE);
      }
    }
    for (String name : ancestors(byName, List.of(saver.getRestoreOpName()))) {
      contexts.put(name, Context.RESTORE);
    }
    return contexts;
  }

  private static Set<String> ancestors(Map<String, NodeDef> byName, Collection<String> roots) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (String root : roots) {
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
