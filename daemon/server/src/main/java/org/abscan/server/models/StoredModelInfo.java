package org.abscan.server.models;

import java.nio.file.Path;

/**
 * An uploaded model on disk.
 *
 * @param content the file or SavedModel directory a loader reads
 * @param format the loader detected (or named) at upload; empty when none recognised it
 */
public record StoredModelInfo(
    String id, String filename, long sizeBytes, String format, long uploadedUnixMillis, Path content) {}
