package org.abscan.server.seeds;

/**
 * A seed image decoded but not yet fitted to a model.
 *
 * @param field the request field or folder entry it came from, for errors
 * @param name its name in reports
 */
public record DecodedSeed(String field, String name, int label, DecodedImage image) {}
