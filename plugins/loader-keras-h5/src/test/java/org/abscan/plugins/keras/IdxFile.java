package org.abscan.plugins.keras;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** A gzip IDX file of unsigned bytes (MNIST's format): its dimensions and its data, row-major. */
record IdxFile(int[] dims, byte[] data) {
  static IdxFile read(Path path) throws IOException {
    try (InputStream raw = Files.newInputStream(path);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
      int magic = in.readInt();
      if ((magic >>> 8) != 0x08) {
        throw new IOException(path + ": not an unsigned-byte IDX file (magic " + Integer.toHexString(magic) + ")");
      }
      int[] dims = new int[magic & 0xff];
      long total = 1;
      for (int i = 0; i < dims.length; i++) {
        dims[i] = in.readInt();
        total *= dims[i];
      }
      byte[] data = new byte[Math.toIntExact(total)];
      in.readFully(data);
      return new IdxFile(dims, data);
    }
  }

  int unsigned(int index) {
    return data[index] & 0xff;
  }
}
