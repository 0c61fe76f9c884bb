package org.abscan.spi;

/**
 * What kind of failure an {@link AbscanException} reports. The daemon maps each category to one gRPC status
 * code in a single place; plugins and the engine only choose the category.
 */
public enum ErrorCategory {
  /** A caller-supplied value is wrong (parameter, layer name, neuron index). Maps to INVALID_ARGUMENT. */
  INVALID_ARGUMENT,
  /** The model file is malformed or truncated. Maps to INVALID_ARGUMENT. */
  MALFORMED_MODEL,
  /** No loader understands the format, or a layer/op is not supported. Maps to INVALID_ARGUMENT. */
  UNSUPPORTED_MODEL,
  /** The model is well formed but refused by policy (e.g. a disallowed op). Maps to FAILED_PRECONDITION. */
  MODEL_REFUSED,
  /** A size or count limit was exceeded. Maps to RESOURCE_EXHAUSTED. */
  LIMIT_EXCEEDED,
  /** A bug or an unexpected runtime failure. Maps to INTERNAL. */
  INTERNAL
}
