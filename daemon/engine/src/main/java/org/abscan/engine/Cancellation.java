package org.abscan.engine;

/** Polled by the engine between TensorFlow runs. */
@FunctionalInterface
public interface Cancellation {
  Cancellation NEVER = () -> false;

  boolean isCancelled();

  /** Throws {@link java.util.concurrent.CancellationException} if cancelled. */
  default void check() {
    if (isCancelled()) {
      throw new java.util.concurrent.CancellationException("cancelled");
    }
  }
}
