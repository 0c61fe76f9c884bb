package org.abscan.plugins.savedmodel;

import com.google.protobuf.ByteString;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.abscan.spi.testkit.fuzz.ByteMutations;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Structure-aware edits of a valid GraphDef: each keeps the protobuf well formed and lies in one place the
 * walker, the rebuild or the spec probe must check — a Const tensor's shape, dtype or content length, the input
 * placeholder's shape, an op type (allowed or not), a node input reference, and function libraries nested or
 * calling each other in cycles.
 */
final class GraphDefEdits {
  enum Kind {
    CONST_SHAPE, CONST_DTYPE, CONST_CONTENT_SIZE, PLACEHOLDER_SHAPE, OP_TYPE, INPUT_REFERENCE, DROP_NODE,
    DUPLICATE_NODE, FUNCTION_CHAIN, FUNCTION_CYCLE
  }

  /** Op types to swap in: allowed ones, checkpoint ops, file and process ops, nonsense. */
  private static final List<String> OPS = List.of("Identity", "Relu", "MatMul", "Conv2D", "Const", "Placeholder",
      "RestoreV2", "SaveV2", "ReadFile", "WriteFile", "PyFunc", "PartitionedCall", "StatefulPartitionedCall",
      "While", "NoSuchOp", "");

  /**
   * @param kind what is edited
   * @param index which node (modulo the count), or the chain length
   * @param values new dims or values (0 to 5, boundary values likely)
   */
  record Edit(Kind kind, int index, List<Long> values) {}

  private GraphDefEdits() {}

  static Arbitrary<List<Edit>> edits(int max) {
    Arbitrary<Long> value = Arbitraries.oneOf(Arbitraries.longs().between(-2, 40), ByteMutations.values());
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 5000),
        value.list().ofMaxSize(5)).as(Edit::new).list().ofMinSize(1).ofMaxSize(max);
  }

  static GraphDef apply(GraphDef graph, List<Edit> edits) {
    GraphDef.Builder builder = graph.toBuilder();
    for (Edit edit : edits) {
      apply(builder, edit);
    }
    return builder.build();
  }

  private static long first(Edit edit) {
    return edit.values().isEmpty() ? 0 : edit.values().get(0);
  }

  private static TensorShapeProto shape(List<Long> dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    dims.forEach(d -> shape.addDimBuilder().setSize(d));
    return shape.build();
  }

  /** The {@code index}-th node (cyclically) whose op is {@code op}, or null. */
  private static NodeDef.Builder nodeOf(GraphDef.Builder graph, String op, int index) {
    int n = graph.getNodeCount();
    for (int i = 0; i < n; i++) {
      NodeDef.Builder node = graph.getNodeBuilder((index + i) % n);
      if (node.getOp().equals(op)) {
        return node;
      }
    }
    return null;
  }

  private static void apply(GraphDef.Builder graph, Edit edit) {
    int n = graph.getNodeCount();
    switch (edit.kind()) {
      case CONST_SHAPE, CONST_DTYPE, CONST_CONTENT_SIZE -> {
        NodeDef.Builder node = nodeOf(graph, "Const", edit.index());
        if (node != null) {
          TensorProto.Builder t = node.getAttrOrDefault("value", AttrValue.getDefaultInstance()).getTensor()
              .toBuilder();
          if (edit.kind() == Kind.CONST_SHAPE) {
            t.setTensorShape(shape(edit.values()));
          } else if (edit.kind() == Kind.CONST_DTYPE) {
            t.setDtypeValue((int) Math.floorMod(first(edit), 30));
          } else {
            int size = (int) Math.floorMod(first(edit), 1 << 16);
            byte[] content = java.util.Arrays.copyOf(t.getTensorContent().toByteArray(), size);
            t.setTensorContent(ByteString.copyFrom(content));
          }
          node.putAttr("value", AttrValue.newBuilder().setTensor(t).build());
        }
      }
      case PLACEHOLDER_SHAPE -> {
        NodeDef.Builder node = nodeOf(graph, "Placeholder", edit.index());
        if (node != null) {
          node.putAttr("shape", AttrValue.newBuilder().setShape(shape(edit.values())).build());
        }
      }
      case OP_TYPE -> graph.getNodeBuilder(edit.index() % n).setOp(OPS.get((int) Math.floorMod(first(edit), OPS.size())));
      case INPUT_REFERENCE -> {
        NodeDef.Builder node = graph.getNodeBuilder(edit.index() % n);
        String target = graph.getNode((int) Math.floorMod(first(edit), n)).getName();
        String ref = switch ((int) Math.floorMod(first(edit), 4)) {
          case 0 -> target;
          case 1 -> target + ":" + Math.floorMod(first(edit), 7);
          case 2 -> "^" + target;
          default -> "missing_node:0";
        };
        if (node.getInputCount() > 0) {
          node.setInput(0, ref);
        } else {
          node.addInput(ref);
        }
      }
      case DROP_NODE -> {
        if (n > 1) {
          graph.removeNode(edit.index() % n);
        }
      }
      case DUPLICATE_NODE -> graph.addNode(graph.getNode(edit.index() % n));
      case FUNCTION_CHAIN -> functionChain(graph, 1 + edit.index(), false);
      case FUNCTION_CYCLE -> functionChain(graph, 1 + edit.index() % 50, true);
      default -> throw new IllegalStateException(edit.kind().toString());
    }
  }

  /**
   * Functions f0 .. f(n-1), each calling the next through a PartitionedCall's func attr (the last calling f0 when
   * {@code cycle}), the last holding a ReadFile; a graph node calls f0.
   */
  private static void functionChain(GraphDef.Builder graph, int length, boolean cycle) {
    for (int i = 0; i < length; i++) {
      FunctionDef.Builder f = FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName("fz_f" + i));
      String callee = i + 1 < length ? "fz_f" + (i + 1) : cycle ? "fz_f0" : null;
      if (callee != null) {
        f.addNodeDef(call("call", callee));
      } else {
        f.addNodeDef(NodeDef.newBuilder().setName("read").setOp("ReadFile"));
      }
      graph.getLibraryBuilder().addFunction(f);
    }
    graph.addNode(call("fz_call", "fz_f0"));
  }

  private static NodeDef call(String name, String function) {
    return NodeDef.newBuilder().setName(name).setOp("PartitionedCall")
        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(function)).build())
        .putAttr("Tout", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addType(DataType.DT_FLOAT))
            .build())
        .build();
  }
}
