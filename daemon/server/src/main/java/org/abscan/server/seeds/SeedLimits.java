package org.abscan.server.seeds;

/**
 * Bounds on what a scan request may make the server decode.
 *
 * @param maxImages seed images per request
 * @param maxDimension largest width or height of one image
 */
public record SeedLimits(int maxImages, int maxDimension) {
  public static final SeedLimits DEFAULT = new SeedLimits(5_000, 4_096);
}
