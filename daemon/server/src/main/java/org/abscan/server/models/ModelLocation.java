package org.abscan.server.models;

import java.nio.file.Path;

/**
 * A model reference resolved to a file the daemon may hand to a worker process, which parses it.
 *
 * @param path real path, inside the model roots or the tenant's store
 * @param sha256 the upload id, or the content hash of a server path
 * @param format the loader name the request or upload named; empty when the loader is to be detected
 */
public record ModelLocation(Path path, String sha256, String format) {}
