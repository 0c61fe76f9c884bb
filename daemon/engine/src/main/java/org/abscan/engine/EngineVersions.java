package org.abscan.engine;

import org.tensorflow.TensorFlow;

/** Versions for reports. */
final class EngineVersions {
  private EngineVersions() {}

  /** The engine jar's Implementation-Version, or "dev" when run from classes (tests, IDE). */
  static String abscan() {
    String version = EngineVersions.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? "dev" : version;
  }

  static String tensorflow() {
    return TensorFlow.version();
  }
}
