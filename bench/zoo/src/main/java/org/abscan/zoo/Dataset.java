package org.abscan.zoo;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Images (NHWC floats in [0, 1]) with their labels, read from the IDX files of ../shared/data.
 *
 * @param images {@code count * height * width * channels} values
 */
public record Dataset(float[] images, int[] labels, int height, int width, int channels, int classes) {

  public int count() {
    return labels.length;
  }

  public int imageSize() {
    return height * width * channels;
  }

  /** A copy of image {@code i}. */
  public float[] image(int i) {
    return Arrays.copyOfRange(images, i * imageSize(), (i + 1) * imageSize());
  }

  /** The images at {@code indices}, in that order. */
  public Dataset select(int[] indices) {
    int size = imageSize();
    float[] x = new float[indices.length * size];
    int[] y = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(images, indices[i] * size, x, i * size, size);
      y[i] = labels[indices[i]];
    }
    return new Dataset(x, y, height, width, channels, classes);
  }

  /** Images [from, to). */
  public Dataset range(int from, int to) {
    int[] indices = new int[to - from];
    Arrays.setAll(indices, i -> from + i);
    return select(indices);
  }

  /** Reads a gzipped IDX image file (idx3 N,H,W or idx4 N,H,W,C, uint8) and its idx1 label file. */
  public static Dataset readIdx(Path imagesGz, Path labelsGz, int classes) throws IOException {
    int[] dims;
    byte[] pixels;
    try (DataInputStream in = open(imagesGz)) {
      dims = header(in, imagesGz);
      long total = 1;
      for (int d : dims) {
        total *= d;
      }
      pixels = in.readNBytes((int) total);
      if (pixels.length != total) {
        throw new IOException(imagesGz + ": truncated (" + pixels.length + " of " + total + " bytes)");
      }
    }
    byte[] labelBytes;
    try (DataInputStream in = open(labelsGz)) {
      int[] labelDims = header(in, labelsGz);
      labelBytes = in.readNBytes(labelDims[0]);
    }
    if (labelBytes.length != dims[0]) {
      throw new IOException(labelsGz + ": " + labelBytes.length + " labels for " + dims[0] + " images");
    }
    float[] x = new float[pixels.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (pixels[i] & 0xff) / 255f;
    }
    int[] y = new int[labelBytes.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labelBytes[i] & 0xff;
    }
    int channels = dims.length == 4 ? dims[3] : 1;
    return new Dataset(x, y, dims[1], dims[2], channels, classes);
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }

  private static int[] header(DataInputStream in, Path file) throws IOException {
    int magic = in.readInt();
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08) {
      throw new IOException(file + ": not a uint8 IDX file (magic " + Integer.toHexString(magic) + ")");
    }
    int[] dims = new int[magic & 0xff];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = in.readInt();
    }
    return dims;
  }
}
