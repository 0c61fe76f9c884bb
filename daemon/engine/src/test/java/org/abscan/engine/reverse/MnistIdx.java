package org.abscan.engine.reverse;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the gzip IDX files of MNIST (shared/data/mnist-t10k): images as [N, 28, 28] floats in [0, 1]. */
final class MnistIdx {
  final float[] pixels;
  final int[] labels;
  final int count;
  final int height;
  final int width;

  private MnistIdx(float[] pixels, int[] labels, int height, int width) {
    this.pixels = pixels;
    this.labels = labels;
    this.count = labels.length;
    this.height = height;
    this.width = width;
  }

  static MnistIdx read(Path directory, int limit) throws IOException {
    int[] labels;
    try (DataInputStream in = open(directory.resolve("t10k-labels-idx1-ubyte.gz"), 1)) {
      int n = Math.min(limit, in.readInt());
      labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = in.readUnsignedByte();
      }
    }
    try (DataInputStream in = open(directory.resolve("t10k-images-idx3-ubyte.gz"), 3)) {
      int n = Math.min(limit, in.readInt());
      int h = in.readInt();
      int w = in.readInt();
      if (n != labels.length) {
        throw new IOException("image and label counts differ");
      }
      byte[] raw = new byte[n * h * w];
      in.readFully(raw);
      float[] pixels = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        pixels[i] = (raw[i] & 0xff) / 255f;
      }
      return new MnistIdx(pixels, labels, h, w);
    }
  }

  /** Checks the IDX header (two zero bytes, uint8 type, {@code dims} dimensions). */
  private static DataInputStream open(Path file, int dims) throws IOException {
    InputStream raw = new GZIPInputStream(Files.newInputStream(file));
    DataInputStream in = new DataInputStream(raw);
    int magic = in.readInt();
    if (magic != (0x0800 | dims)) {
      in.close();
      throw new IOException(file + ": not a uint8 IDX file with " + dims + " dimensions");
    }
    return in;
  }
}
