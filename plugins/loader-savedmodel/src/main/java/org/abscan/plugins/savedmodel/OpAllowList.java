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
          "Exp", "Log", "Pow", "SquaredDifference", "Maximum", "Minimum",
          "Relu", "Relu6", "LeakyRelu", "Elu", "Selu", "Sigmoid", "Tanh", "Softplus", "Softmax", "LogSoftmax",
          "MaxPool", "MaxPoolV2", "AvgPool", "Mean", "Sum", "Max", "Min", "Prod",
          "Reshape", "Shape", "StridedSlice", "Slice", "Pack", "Unpack", "ConcatV2", "Concat",
          "Pad", "PadV2", "MirrorPad", "Transpose", "Squeeze", "ExpandDims", "Fill", "ZerosLike", "OnesLike",
          "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "Cast",
          // Variables live in session memory; they are frozen into constants before the engine sees them.
          "VariableV2", "Variable", "VarHandleOp", "ReadVariableOp", "Assign", "AssignVariableOp",
          "VarIsInitializedOp", "IsVariableInitialized");

  /**
   * Checkpoint I/O and the string plumbing that computes checkpoint file names: allowed only inside the
   * saver subgraph (reachable from the SaverDef's save/restore ops), which is what restores the variables.
   */
  static final Set<String> SAVER_ONLY =
      Set.of(
          "SaveV2", "RestoreV2", "Save", "Restore", "SaveSlices", "RestoreSlice", "ShardedFilename",
          "ShardedFilespec", "MergeV2Checkpoints", "StringJoin", "StaticRegexFullMatch", "Select", "SelectV2",
          "DisableCopyOnRead");

  /** Calls into the graph's function library; safe once every function in the library passed the check. */
  static final Set<String> FUNCTION_CALLS = Set.of("PartitionedCall", "StatefulPartitionedCall");

  /** Ops the graph re-builder cannot reproduce inside the engine's graph, even though they are harmless. */
  static final Set<String> NOT_REBUILDABLE =
      Set.of(
          "PartitionedCall", "StatefulPartitionedCall", "VarHandleOp", "Assign", "AssignVariableOp",
          "VarIsInitializedOp", "IsVariableInitialized");

  private OpAllowList() {}

  static boolean allowed(String op, boolean inSaverSubgraph) {
    return PURE.contains(op) || FUNCTION_CALLS.contains(op) || (inSaverSubgraph && SAVER_ONLY.contains(op));
  }

  /** Why {@code op} is refused, for the violation's description. */
  static String reason(String op) {
    if (SAVER_ONLY.contains(op)) {
      return "op " + op + " does checkpoint file I/O and is only allowed in the saver's restore/save subgraph";
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
