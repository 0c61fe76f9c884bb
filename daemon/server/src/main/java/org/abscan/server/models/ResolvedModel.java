package org.abscan.server.models;

import java.nio.file.Path;
import org.abscan.spi.model.ModelLoader;

/**
 * A model reference turned into something loadable.
 *
 * @param sha256 the upload id, or the content hash of a server path
 * @param format the loader's name
 */
public record ResolvedModel(Path path, String sha256, String format, ModelLoader loader) {}
