package org.abscan.plugins.savedmodel;

import java.util.Set;

/**
 * Which TensorFlow op types a scanned model may contain. Anything not listed is refused before the model
 * reaches a TensorFlow runtime: an op list is the only thing that stands between an uploaded SavedModel and
 * file-system or process access in the daemon (ReadFile, WriteFile, PyFunc, dataset readers, ...).
 */
final class OpAllowList {
  /** Side-effect-free math and NN ops, plus in-memory variable plumbing: allowed anywhere. */
  static final Set<String> PURE =
      Set.of(
          "Const", "Placeholder", "PlaceholderWithDefault", "Identity", "IdentityN", "NoOp",
          "Conv2D", "DepthwiseConv2dNative", "MatMul", "BiasAdd",
          "Add", "AddV2", "AddN", "Sub", "Mul", "RealDiv", "Div", "Neg", "Square", "Sqrt", "Rsqrt",
          "Exp", "Log", "Pow", "SquaredDifference", "Maximum", "Minimum", "Abs", "Reciprocal", "ClipByValue", "Erf",
          "Relu", "Relu6", "LeakyRelu", "Elu", "Selu", "Sigmoid", "Tanh", "Softplus", "Softmax", "LogSoftmax",
          "MaxPool", "MaxPoolV2", "AvgPool", "Mean", "Sum", "Max", "Min", "Prod",
          "Reshape", "Shape", "StridedSlice", "Slice", "Pack", "Unpack", "ConcatV2", "Concat",
          "Pad", "PadV2", "MirrorPad", "Transpose", "Squeeze", "ExpandDims", "Fill", "ZerosLike", "OnesLike",
          "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "Cast",
          // Variable initialisers (TF 1 graphs keep them); random numbers touch no file or host state.
          "RandomUniform", "RandomStandardNormal", "TruncatedNormal",
          // Variables live in session memory; they are frozen into constants before the engine sees them.
          "VariableV2", "Variable", "VarHandleOp", "ReadVariableOp", "Assign", "AssignVariableOp",
          "VarIsInitializedOp", "IsVariableInitialized");

  /** String plumbing savers use to compute checkpoint file names: allowed in the saver's subgraphs only. */
  static final Set<String> SAVER_PLUMBING =
      Set.of(
          "ShardedFilename", "ShardedFilespec", "StringJoin", "StaticRegexFullMatch", "Select", "SelectV2",
          "DisableCopyOnRead");

  /** Checkpoint reads: allowed only in the subgraph of the SaverDef's restore op. */
  static final Set<String> RESTORE_ONLY = Set.of("RestoreV2", "Restore", "RestoreSlice");

  /**
   * Checkpoint writes: allowed only in the subgraph of the SaverDef's save tensor, which abscan never runs;
   * nothing that runs at load time (the restore op, init ops) may reach them.
   */
  static final Set<String> SAVE_ONLY = Set.of("SaveV2", "Save", "SaveSlices", "MergeV2Checkpoints");

  /** Every op that is only allowed inside a saver subgraph. */
  static final Set<String> SAVER_ONLY = union(SAVER_PLUMBING, RESTORE_ONLY, SAVE_ONLY);

  /** Calls into the graph's function library; safe once every function in the library passed the check. */
  static final Set<String> FUNCTION_CALLS = Set.of("PartitionedCall", "StatefulPartitionedCall");

  /** Ops the graph re-builder cannot reproduce inside the engine's graph, even though they are harmless. */
  static final Set<String> NOT_REBUILDABLE =
      Set.of(
          "PartitionedCall", "StatefulPartitionedCall", "VarHandleOp", "Assign", "AssignVariableOp",
          "VarIsInitializedOp", "IsVariableInitialized");

  private OpAllowList() {}

  /** Where in the graph a node sits, which decides whether checkpoint ops are allowed there. */
  enum Context {
    /** Ordinary graph: pure ops only. */
    GRAPH,
    /** Reached from the SaverDef's restore op: checkpoint reads allowed. */
    RESTORE,
    /** Reached only from the SaverDef's save tensor: checkpoint writes allowed. */
    SAVE
  }

  static boolean allowed(String op, Context context) {
    if (PURE.contains(op) || FUNCTION_CALLS.contains(op)) {
      return true;
    }
    return switch (context) {
      case GRAPH -> false;
      case RESTORE -> SAVER_PLUMBING.contains(op) || RESTORE_ONLY.contains(op);
      case SAVE -> SAVER_PLUMBING.contains(op) || SAVE_ONLY.contains(op);
    };
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    java.util.Set<String> all = new java.util.HashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return Set.copyOf(all);
  }

  /** Why {@code op} is refused, for the violation's description. */
  static String reason(String op) {
    if (RESTORE_ONLY.contains(op) || SAVER_PLUMBING.contains(op)) {
      return "op " + op + " is only allowed in the subgraph of the SaverDef's restore op";
    }
    if (SAVE_ONLY.contains(op)) {
      return "op " + op + " writes checkpoint files and is only allowed in the subgraph of the SaverDef's "
          + "save tensor, where nothing run at load time reaches it";
    }
    String lower = op.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("file") || lower.contains("reader") || lower.contains("dataset")) {
      return "op " + op + " accesses files or data sources and is not allowed";
    }
    if (lower.contains("pyfunc") || lower.contains("print")) {
      return "op " + op + " runs host code or writes output and is not allowed";
    }
    return "op " + op + " is not on the allow-list of pure math/NN ops";
  }
}
