package org.abscan.plugins.onnx;

import com.google.protobuf.ByteString;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.abscan.plugins.onnx.proto.OnnxProto.AttributeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.GraphProto;
import org.abscan.plugins.onnx.proto.OnnxProto.ModelProto;
import org.abscan.plugins.onnx.proto.OnnxProto.NodeProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorShapeProto;
import org.abscan.spi.testkit.fuzz.ByteMutations;

/**
 * Structure-aware edits of a valid ModelProto: each keeps the protobuf well formed and lies in one field the
 * loader must check (tensor dims against raw_data, data types, input dims, attribute values, shape constants
 * feeding ConstantOfShape, subgraph nesting), so the input gets past the parser to the code behind it.
 */
final class OnnxModelEdits {
  enum Kind {
    INITIALIZER_DIMS, INITIALIZER_DATA_TYPE, INITIALIZER_RAW_SIZE, INT_CONSTANT_VALUES, INPUT_DIMS,
    NODE_INT_ATTRIBUTE, CONSTANT_OF_SHAPE_INTO_OUTPUT, NESTED_SUBGRAPH, DROP_NODE, DUPLICATE_NODE
  }

  /**
   * @param kind what is edited
   * @param index which initializer/node/attribute (modulo how many there are)
   * @param values the new dims or values (0 to 5 of them, boundary values likely)
   */
  record Edit(Kind kind, int index, List<Long> values) {}

  private OnnxModelEdits() {}

  static Arbitrary<List<Edit>> edits(int max) {
    Arbitrary<Long> value = Arbitraries.oneOf(Arbitraries.longs().between(-2, 40), ByteMutations.values());
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1000),
        value.list().ofMaxSize(5)).as(Edit::new).list().ofMinSize(1).ofMaxSize(max);
  }

  static ModelProto apply(ModelProto model, List<Edit> edits) {
    ModelProto.Builder builder = model.toBuilder();
    for (Edit edit : edits) {
      apply(builder.getGraphBuilder(), edit);
    }
    return builder.build();
  }

  private static long first(Edit edit) {
    return edit.values().isEmpty() ? 0 : edit.values().get(0);
  }

  private static void apply(GraphProto.Builder graph, Edit edit) {
    int inits = graph.getInitializerCount();
    int nodes = graph.getNodeCount();
    switch (edit.kind()) {
      case INITIALIZER_DIMS -> {
        if (inits > 0) {
          graph.getInitializerBuilder(edit.index() % inits).clearDims().addAllDims(edit.values());
        }
      }
      case INITIALIZER_DATA_TYPE -> {
        if (inits > 0) {
          graph.getInitializerBuilder(edit.index() % inits).setDataType((int) first(edit));
        }
      }
      case INITIALIZER_RAW_SIZE -> {
        if (inits > 0) {
          TensorProto.Builder t = graph.getInitializerBuilder(edit.index() % inits);
          int size = (int) Math.floorMod(first(edit), 1 << 16);
          byte[] raw = java.util.Arrays.copyOf(t.getRawData().toByteArray(), size);
          t.clearFloatData().clearInt64Data().clearInt32Data().setRawData(ByteString.copyFrom(raw));
        }
      }
      case INT_CONSTANT_VALUES -> intConstant(graph, edit);
      case INPUT_DIMS -> {
        if (graph.getInputCount() > 0) {
          TensorShapeProto.Builder shape = graph.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
              .getShapeBuilder().clearDim();
          edit.values().forEach(v -> shape.addDimBuilder().setDimValue(v));
        }
      }
      case NODE_INT_ATTRIBUTE -> {
        if (nodes > 0) {
          NodeProto.Builder node = graph.getNodeBuilder(edit.index() % nodes);
          for (AttributeProto.Builder a : node.getAttributeBuilderList()) {
            if (a.getType() == AttributeProto.AttributeType.INT) {
              a.setI(first(edit));
            } else if (a.getType() == AttributeProto.AttributeType.INTS) {
              a.clearInts().addAllInts(edit.values());
            }
          }
        }
      }
      case CONSTANT_OF_SHAPE_INTO_OUTPUT -> constantOfShapeIntoOutput(graph, edit);
      case NESTED_SUBGRAPH -> graph.addNode(NodeProto.newBuilder().setOpType("If").setName("fz_if")
          .addInput(graph.getInput(0).getName()).addOutput("fz_if_out")
          .addAttribute(AttributeProto.newBuilder().setName("then_branch")
              .setType(AttributeProto.AttributeType.GRAPH).setG(nested(1 + edit.index() % 120))));
      case DROP_NODE -> {
        if (nodes > 1) {
          graph.removeNode(edit.index() % nodes);
        }
      }
      case DUPLICATE_NODE -> {
        if (nodes > 0) {
          graph.addNode(edit.index() % nodes, graph.getNode(edit.index() % nodes));
        }
      }
      default -> throw new IllegalStateException(edit.kind().toString());
    }
  }

  /** Rewrites the values of an int64 initializer or Constant (Reshape targets, Slice bounds, Gather indices). */
  private static void intConstant(GraphProto.Builder graph, Edit edit) {
    for (int i = 0; i < graph.getInitializerCount(); i++) {
      TensorProto.Builder t = graph.getInitializerBuilder((edit.index() + i) % graph.getInitializerCount());
      if (t.getDataType() == TensorProto.DataType.INT64_VALUE) {
        t.clearRawData().clearInt64Data().addAllInt64Data(edit.values()).clearDims().addDims(edit.values().size());
        return;
      }
    }
    for (NodeProto.Builder node : graph.getNodeBuilderList()) {
      if (node.getOpType().equals("Constant") && node.getAttributeCount() > 0
          && node.getAttribute(0).getT().getDataType() == TensorProto.DataType.INT64_VALUE) {
        node.getAttributeBuilder(0).setT(int64(edit.values()));
        return;
      }
    }
  }

  /** output' = output + ConstantOfShape(values): a shape constant that lies about its size, on the output path. */
  private static void constantOfShapeIntoOutput(GraphProto.Builder graph, Edit edit) {
    String output = graph.getOutput(0).getName();
    graph.addNode(NodeProto.newBuilder().setOpType("Constant").addOutput("fz_shape")
        .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
            .setT(int64(edit.values()))));
    graph.addNode(NodeProto.newBuilder().setOpType("ConstantOfShape").addInput("fz_shape").addOutput("fz_fill"));
    graph.addNode(NodeProto.newBuilder().setOpType("Add").addInput(output).addInput("fz_fill").addOutput("fz_out"));
    graph.getOutputBuilder(0).setName("fz_out");
  }

  private static TensorProto int64(List<Long> values) {
    return TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.size())
        .addAllInt64Data(values).build();
  }

  private static GraphProto nested(int depth) {
    GraphProto inner = GraphProto.newBuilder().setName("g0").build();
    for (int i = 1; i < depth; i++) {
      inner = GraphProto.newBuilder().setName("g" + i).addNode(NodeProto.newBuilder().setOpType("If")
          .addAttribute(AttributeProto.newBuilder().setName("then_branch")
              .setType(AttributeProto.AttributeType.GRAPH).setG(inner))).build();
    }
    return inner;
  }
}
