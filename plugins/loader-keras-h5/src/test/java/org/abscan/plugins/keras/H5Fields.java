package org.abscan.plugins.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the dimension fields of a fixture's weight datasets lie in the file, so the fuzz test can edit exactly
 * those header fields. jhdf gives each dataset's object header address and dims; the dataspace message stores
 * the dims as consecutive 8-byte little-endian lengths shortly after that address, so the first such run of
 * bytes after the header start is the field. Datasets whose dims are not found that way are skipped.
 */
final class H5Fields {
  /** How far past the object header start the dataspace message may lie. */
  private static final int SEARCH_WINDOW = 1024;

  private H5Fields() {}

  /** File offsets of every 8-byte dimension length of every dataset under model_weights. */
  static List<Integer> dimensionOffsets(Path file, byte[] bytes) {
    List<Integer> offsets = new ArrayList<>();
    try (HdfFile hdf = new HdfFile(file)) {
      collect(hdf, bytes, offsets);
    }
    return offsets;
  }

  private static void collect(Group group, byte[] bytes, List<Integer> offsets) {
    for (Node child : group.getChildren().values()) {
      if (child instanceof Group g) {
        collect(g, bytes, offsets);
      } else if (child instanceof Dataset d && d.getDimensions().length > 0) {
        int at = find(bytes, (int) d.getAddress(), d.getDimensions());
        for (int i = 0; at >= 0 && i < d.getDimensions().length; i++) {
          offsets.add(at + 8 * i);
        }
      }
    }
  }

  private static int find(byte[] bytes, int from, int[] dims) {
    ByteBuffer pattern = ByteBuffer.allocate(8 * dims.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int dim : dims) {
      pattern.putLong(dim);
    }
    byte[] needle = pattern.array();
    int end = Math.min(bytes.length - needle.length, from + SEARCH_WINDOW);
    outer:
    for (int i = Math.max(0, from); i <= end; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
