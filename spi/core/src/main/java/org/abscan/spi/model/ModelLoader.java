package org.abscan.spi.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a model into something the engine can build TensorFlow graphs from. Loaders must treat the file as
 * untrusted: bound every size read from a header before allocating, and report malformed input as an
 * {@link org.abscan.spi.AbscanException} with category MALFORMED_MODEL (never crash the JVM).
 */
public interface ModelLoader {
  /** A cheap content sniff (magic bytes, directory layout): true if this loader recognises the model. */
  boolean accepts(Path model) throws IOException;

  /**
   * Parses the model and its weights.
   *
   * @throws org.abscan.spi.AbscanException MALFORMED_MODEL, UNSUPPORTED_MODEL (naming the layer or op and
   *     where it is), MODEL_REFUSED (policy, e.g. a disallowed op) or LIMIT_EXCEEDED
   */
  LoadedModel load(Path model, LoadOptions options) throws IOException;
}
