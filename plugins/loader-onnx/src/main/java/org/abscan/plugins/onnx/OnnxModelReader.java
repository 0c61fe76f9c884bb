package org.abscan.plugins.onnx;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.plugins.onnx.proto.OnnxProto.GraphProto;
import org.abscan.plugins.onnx.proto.OnnxProto.ModelProto;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorShapeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TypeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.ValueInfoProto;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.InputSpec;

/**
 * Reads an untrusted .onnx file into an {@link OnnxModel}: bounded by the size limit, parsed with the protobuf
 * classes generated from the vendored onnx.proto, then checked (opset, one NCHW image input, topological order,
 * weights inside the file).
 */
final class OnnxModelReader {
  static final int MIN_OPSET = 9;
  static final int MAX_OPSET = 18;
  /** Bound on the input's channels, height and width: ABS scans image classifiers, not gigapixel maps. */
  static final int MAX_INPUT_DIM = 4096;

  OnnxModel read(Path path, long maxBytes) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw OnnxErrors.malformed(path.toString(), "not a regular file");
    }
    long size = Files.size(path);
    if (size > maxBytes || size > Integer.MAX_VALUE - 8) {
      throw new AbscanException(ErrorCategory.LIMIT_EXCEEDED, "model file " + path.getFileName() + " has "
          + size + " bytes, more than the limit of " + maxBytes,
          List.of(new AbscanException.Violation(path.getFileName().toString(), "file too large")));
    }
    ModelProto model = parse(Files.readAllBytes(path), path);
    return validate(model, maxBytes);
  }

  private static ModelProto parse(byte[] bytes, Path path) {
    try {
      CodedInputStream input = CodedInputStream.newInstance(bytes);
      ModelProto model = ModelProto.parseFrom(input);
      input.checkLastTagWas(0);
      return model;
    } catch (IOException e) {
      // InvalidProtocolBufferException for truncated or corrupt data; nothing else reads from a byte array.
      throw new AbscanException(ErrorCategory.MALFORMED_MODEL,
          path.getFileName() + " is not a valid ONNX model (truncated or corrupt): " + e.getMessage(),
          List.of(new AbscanException.Violation(path.getFileName().toString(), "protobuf: " + e.getMessage())),
          e);
    }
  }

  private static OnnxModel validate(ModelProto model, long maxBytes) {
    if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
      throw OnnxErrors.malformed("graph", "the model has no graph (truncated or not an ONNX model)");
    }
    int opset = opset(model);
    GraphProto graph = model.getGraph();
    if (graph.getSparseInitializerCount() > 0) {
      throw OnnxErrors.unsupported("graph.sparse_initializer", "sparse initializers are not supported");
    }
    TensorDecoder decoder = new TensorDecoder(maxBytes);
    Map<String, ConstTensor> constants = new HashMap<>();
    long parameters = 0;
    for (TensorProto initializer : graph.getInitializerList()) {
      ConstTensor c = decoder.decode(initializer, "initializer " + initializer.getName());
      constants.put(initializer.getName(), c);
      if (c.kind() == ConstTensor.Kind.FLOAT) {
        parameters += c.size();
      }
    }
    for (NodeProto node : graph.getNodeList()) {
      if (node.getOpType().equals("Constant") && isDefaultDomain(node.getDomain())) {
        constants.put(node.getOutput(0), constantValue(node, decoder));
      }
    }
    InputSpec input = imageInput(graph, constants.keySet());
    if (graph.getOutputCount() == 0) {
      throw OnnxErrors.malformed("graph.output", "the graph declares no output");
    }
    checkTopologicalOrder(graph, constants.keySet(), input.name());
    return new OnnxModel(graph.getNodeList(), constants, input, graph.getOutput(0).getName(), opset, parameters);
  }

  static boolean isDefaultDomain(String domain) {
    return domain.isEmpty() || domain.equals("ai.onnx");
  }

  private static int opset(ModelProto model) {
    for (OperatorSetIdProto id : model.getOpsetImportList()) {
      if (isDefaultDomain(id.getDomain())) {
        long version = id.getVersion();
        if (version < MIN_OPSET || version > MAX_OPSET) {
          throw OnnxErrors.unsupported("opset_import", "opset " + version + " of the default domain; "
              + "supported: " + MIN_OPSET + " to " + MAX_OPSET);
        }
        return (int) version;
      }
    }
    throw OnnxErrors.malformed("opset_import", "no opset for the default ONNX domain");
  }

  private static ConstTensor constantValue(NodeProto node, TensorDecoder decoder) {
    NodeAttributes attrs = new NodeAttributes(node);
    String where = OnnxErrors.describe(node);
    if (attrs.has("value")) {
      return decoder.decode(attrs.getTensor("value"), where);
    }
    if (attrs.has("value_float")) {
      return ConstTensor.ofFloats(new long[0], new float[] {attrs.getFloat("value_float", 0f)});
    }
    if (attrs.has("value_floats")) {
      float[] values = attrs.getFloats("value_floats");
      return ConstTensor.ofFloats(new long[] {values.length}, values);
    }
    if (attrs.has("value_int")) {
      return ConstTensor.ofLongs(new long[0], new long[] {attrs.getInt("value_int", 0)});
    }
    if (attrs.has("value_ints")) {
      long[] values = attrs.getInts("value_ints", null);
      return ConstTensor.ofLongs(new long[] {values.length}, values);
    }
    throw OnnxErrors.unsupported(where, "Constant without a tensor, float or int value");
  }

  private static InputSpec imageInput(GraphProto graph, Set<String> constants) {
    List<ValueInfoProto> inputs = new ArrayList<>();
    for (ValueInfoProto input : graph.getInputList()) {
      if (!constants.contains(input.getName())) {
        inputs.add(input);
      }
    }
    if (inputs.size() != 1) {
      throw OnnxErrors.unsupported("graph.input", "the model has " + inputs.size()
          + " inputs; only models with one image input are supported");
    }
    ValueInfoProto input = inputs.get(0);
    String name = input.getName();
    TypeProto type = input.getType();
    if (!type.hasTensorType() || type.getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
      throw OnnxErrors.unsupported("input " + name, "the input must be a float tensor");
    }
    List<TensorShapeProto.Dimension> dims = type.getTensorType().getShape().getDimList();
    if (dims.size() != 4) {
      throw OnnxErrors.unsupported("input " + name,
          "the input must be an NCHW image batch (rank 4), got rank " + dims.size());
    }
    long[] chw = new long[3];
    for (int i = 1; i < 4; i++) {
      TensorShapeProto.Dimension d = dims.get(i);
      if (!d.hasDimValue() || d.getDimValue() <= 0 || d.getDimValue() > MAX_INPUT_DIM) {
        throw OnnxErrors.unsupported("input " + name,
            "dimension " + i + " must be a fixed size from 1 to " + MAX_INPUT_DIM + " (channels, height, width), got "
                + (d.hasDimParam() ? "'" + d.getDimParam() + "'" : String.valueOf(d.getDimValue())));
      }
      chw[i - 1] = d.getDimValue();
    }
    return new InputSpec(name, (int) chw[1], (int) chw[2], (int) chw[0], InputSpec.Layout.NCHW);
  }

  /** ONNX requires nodes in topological order with each value defined once; a model that breaks it is malformed. */
  private static void checkTopologicalOrder(GraphProto graph, Set<String> constants, String inputName) {
    Set<String> defined = new HashSet<>(constants);
    defined.add(inputName);
    for (NodeProto node : graph.getNodeList()) {
      for (String input : node.getInputList()) {
        if (!input.isEmpty() && !defined.contains(input)) {
          throw OnnxErrors.malformed(OnnxErrors.describe(node), "uses " + input
              + ", which no earlier node, initializer or input defines");
        }
      }
      boolean constant = node.getOpType().equals("Constant");
      for (String output : node.getOutputList()) {
        if (!output.isEmpty() && !defined.add(output) && !constant) {
          throw OnnxErrors.malformed(OnnxErrors.describe(node), "redefines " + output);
        }
      }
    }
    String output = graph.getOutput(0).getName();
    if (!defined.contains(output)) {
      throw OnnxErrors.malformed("graph.output", "output " + output + " is not produced by any node");
    }
  }
}
