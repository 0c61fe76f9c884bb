package org.abscan.plugins.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The cheap recognition behind {@code accepts()}: reads at most {@link #PREFIX_BYTES} and checks, with
 * protobuf's CodedInputStream, that they start like a serialized ModelProto (a plausible ir_version first, then
 * only ModelProto's top-level fields, each with its wire type, and a graph). A file named *.onnx needs only a
 * well-formed start, so that a truncated model is still claimed, and then reported as malformed by
 * {@code load}.
 */
final class OnnxSniffer {
  static final int PREFIX_BYTES = 64 * 1024;
  private static final int GRAPH_FIELD = 7;
  private static final int IR_VERSION_FIELD = 1;

  /** ModelProto's top-level fields (onnx.proto) and their wire types. */
  private static final Map<Integer, Integer> MODEL_FIELDS = Map.of(
      1, WireFormat.WIRETYPE_VARINT,
      2, WireFormat.WIRETYPE_LENGTH_DELIMITED,
      3, WireFormat.WIRETYPE_LENGTH_DELIMITED,
      4, WireFormat.WIRETYPE_LENGTH_DELIMITED,
      5, WireFormat.WIRETYPE_VARINT,
      6, WireFormat.WIRETYPE_LENGTH_DELIMITED,
      GRAPH_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED,
      8, WireFormat.WIRETYPE_LENGTH_DELIMITED,
      14, WireFormat.WIRETYPE_LENGTH_DELIMITED,
      20, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int FUNCTIONS_FIELD = 25;

  boolean looksLikeOnnx(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    long size = Files.size(path);
    byte[] prefix;
    try (InputStream in = Files.newInputStream(path)) {
      prefix = in.readNBytes((int) Math.min(size, PREFIX_BYTES));
    }
    boolean named = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    Scan scan = scan(prefix, size, named);
    return named ? scan.wellFormedStart : scan.wellFormedStart && scan.irVersion && scan.graph;
  }

  private record Scan(boolean wellFormedStart, boolean irVersion, boolean graph) {}

  /** @param truncationAllowed whether a field longer than the file ends the scan instead of failing it */
  private static Scan scan(byte[] prefix, long fileSize, boolean truncationAllowed) {
    CodedInputStream in = CodedInputStream.newInstance(prefix);
    boolean irVersion = false;
    boolean graph = false;
    int fields = 0;
    try {
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        int field = WireFormat.getTagFieldNumber(tag);
        int wireType = WireFormat.getTagWireType(tag);
        Integer expected = field == FUNCTIONS_FIELD
            ? Integer.valueOf(WireFormat.WIRETYPE_LENGTH_DELIMITED) : MODEL_FIELDS.get(field);
        // Serializers write fields in number order, so a model starts with its (mandatory) ir_version.
        if (expected == null || expected != wireType || fields == 0 && field != IR_VERSION_FIELD) {
          return new Scan(false, false, false);
        }
        if (wireType == WireFormat.WIRETYPE_VARINT) {
          long value = in.readInt64();
          fields++;
          if (field == IR_VERSION_FIELD) {
            irVersion = value > 0 && value < 100;
            if (!irVersion) {
              return new Scan(false, false, false);
            }
          }
          continue;
        }
        int length = in.readRawVarint32();
        if (length < 0 || length > fileSize && !truncationAllowed) {
          return new Scan(false, false, false);
        }
        fields++;
        if (field == GRAPH_FIELD) {
          graph = length > 0;
        }
        if (prefix.length - in.getTotalBytesRead() < length) {
          break; // the field runs past the prefix (or a truncated file): judge what was seen so far
        }
        in.skipRawBytes(length);
      }
    } catch (IOException e) {
      // A tag or varint cut by the prefix's (or a truncated file's) end: judge the complete fields before it.
      return new Scan(fields > 0, irVersion, graph);
    }
    return new Scan(fields > 0, irVersion, graph);
  }
}
