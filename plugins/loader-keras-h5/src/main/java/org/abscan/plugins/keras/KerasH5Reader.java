package org.abscan.plugins.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.message.DataLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code model_config} and {@code model_weights} out of a Keras 2.x {@code model.save("x.h5")} file.
 * Every size comes from an untrusted header, so the bytes a dataset will take are checked against the budget
 * before it is read.
 */
final class KerasH5Reader {
  private static final Pattern OUTPUT_INDEX = Pattern.compile(":\\d+$");

  /**
   * How much larger than the whole file a filtered (compressed) dataset may decompress: deflate's own limit is
   * about 1032:1, so a larger claim cannot be real data.
   */
  static final long MAX_FILTER_RATIO = 1032;

  private final long maxModelBytes;
  private long bytesRead;
  private long fileLength;

  KerasH5Reader(long maxModelBytes) {
    this.maxModelBytes = maxModelBytes;
  }

  /** Reads the file; the caller maps jhdf's unchecked failures to MALFORMED_MODEL. */
  KerasH5Contents read(Path path) {
    try (HdfFile file = new HdfFile(path)) {
      fileLength = checkComplete(file, path);
      var configAttribute = file.getAttribute("model_config");
      // Checked before jhdf reads it; the parser bounds the text again (a variable-length string's stored size
      // is not the attribute's).
      long configLimit = Math.min(maxModelBytes, KerasConfigParser.MAX_CONFIG_CHARS);
      if (configAttribute != null && configAttribute.getSizeInBytes() > configLimit) {
        throw KerasErrors.limit("model_config", configAttribute.getSizeInBytes() + " bytes, limit is " + configLimit);
      }
      String config = H5Attributes.string(file, "model_config");
      if (config == null) {
        throw KerasErrors.malformed("model_config", "attribute missing: not a full-model Keras file (model.save)");
      }
      Node weightsNode = file.getChild("model_weights");
      if (!(weightsNode instanceof Group weightsRoot)) {
        throw KerasErrors.malformed("model_weights", "group missing");
      }
      Map<String, Map<String, Weight>> weights = new LinkedHashMap<>();
      for (String layer : H5Attributes.strings(weightsRoot, "layer_names")) {
        weights.put(layer, readLayer(weightsRoot, layer));
      }
      return new KerasH5Contents(config, weights);
    }
  }

  /**
   * A cut-off file can still parse (weights read lazily, slack at its end), so compare its length with the end
   * of file the superblock records. libhdf5 writes that address counting any user block (the file's full
   * length), so it is compared as is: the smaller reading of the spec, which never rejects a whole file.
   */
  private static long checkComplete(HdfFile file, Path path) {
    var superblock = file.getHdfBackingStorage().getSuperblock();
    long expected = superblock.getEndOfFileAddress();
    long actual;
    try {
      actual = java.nio.file.Files.size(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (actual < expected) {
      throw KerasErrors.malformed(path.getFileName().toString(),
          "truncated: the HDF5 superblock records " + expected + " bytes, the file has " + actual);
    }
    return actual;
  }

  private Map<String, Weight> readLayer(Group root, String layer) {
    Node node = root.getChild(layer);
    if (!(node instanceof Group group)) {
      throw KerasErrors.malformed("model_weights/" + layer, "group for a listed layer missing");
    }
    Map<String, Weight> weights = new LinkedHashMap<>();
    List<String> names = H5Attributes.strings(group, "weight_names");
    for (String name : names) {
      // Keras 2.2 writes "conv2d_1/kernel:0", later versions may nest deeper ("model/conv2d/kernel:0").
      Node weightNode = group.getByPath(name);
      if (!(weightNode instanceof Dataset dataset)) {
        throw KerasErrors.malformed("model_weights/" + layer + "/" + name, "weight is not a dataset");
      }
      String shortName = OUTPUT_INDEX.matcher(name.substring(name.lastIndexOf('/') + 1)).replaceAll("");
      if (weights.put(shortName, readWeight(dataset, shortName, layer + "/" + name)) != null) {
        throw KerasErrors.malformed("model_weights/" + layer, "weight " + shortName + " listed twice");
      }
    }
    return weights;
  }

  private Weight readWeight(Dataset dataset, String shortName, String where) {
    Class<?> type = dataset.getJavaType();
    if (type != float.class && type != double.class) {
      throw KerasErrors.unsupported(where, "weight type " + type.getSimpleName() + " (float32/float64 expected)");
    }
    int[] dims = dataset.getDimensions();
    long elements = 1;
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw KerasErrors.malformed(where, "negative dimension");
      }
      shape[i] = dims[i];
      elements = Math.multiplyExact(elements, (long) dims[i]);
    }
    // The file's bytes plus the float copy we keep.
    long cost = Math.multiplyExact(elements, type == double.class ? 12L : 4L);
    if (elements > Integer.MAX_VALUE - 8 || bytesRead + cost > maxModelBytes) {
      throw KerasErrors.limit(
          where, "weights need " + (bytesRead + cost) + " bytes, limit is " + maxModelBytes + " (maxModelBytes)");
    }
    checkStoredInFile(dataset, elements, where);
    bytesRead += cost;
    Object flat = dataset.getDataFlat();
    float[] values;
    if (flat instanceof float[] f) {
      values = f;
    } else if (flat instanceof double[] d) {
      values = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        values[i] = (float) d[i];
      }
    } else {
      throw KerasErrors.malformed(where, "unexpected weight data " + (flat == null ? "null" : flat.getClass()));
    }
    if (values.length != elements) {
      throw KerasErrors.malformed(where, "holds " + values.length + " values, shape says " + elements);
    }
    return new Weight(shortName, shape, values);
  }

  /**
   * The dims are the file's claim, and jhdf sizes its buffers from them: found by fuzzing, one edited dimension
   * made a 25 KB file ask for about 130 MB (inside the model budget) and run the heap out. Unfiltered data must
   * lie inside the file; filtered data can decompress to at most {@link #MAX_FILTER_RATIO} times the file.
   */
  private void checkStoredInFile(Dataset dataset, long elements, String where) {
    boolean filtered = dataset.getDataLayout() == DataLayout.CHUNKED && !dataset.getFilters().isEmpty();
    long bound = filtered ? Math.multiplyExact(fileLength, MAX_FILTER_RATIO) : fileLength;
    long stored = Math.multiplyExact(elements, (long) dataset.getDataType().getSize());
    if (stored > bound) {
      throw KerasErrors.malformed(where, "shape " + java.util.Arrays.toString(dataset.getDimensions()) + " needs "
          + stored + " bytes, more than the " + fileLength + "-byte file can hold"
          + (filtered ? " even compressed" : ""));
    }
  }
}
