package org.abscan.server.seeds;

/**
 * An 8-bit image as packed 0xRRGGBB pixels, row-major.
 *
 * @param grey whether the source had a single channel (then r = g = b)
 */
public record DecodedImage(int width, int height, boolean grey, int[] rgb) {}
