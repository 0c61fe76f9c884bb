package org.abscan.plugins.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.ModelLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;

/**
 * Hostile models, made by editing the protobufs of a clean SavedModel: every op outside the allow-list must be
 * refused with MODEL_REFUSED naming it, wherever it hides, before TensorFlow sees the model.
 */
class SavedModelSecurityTest {
  @TempDir static Path temp;
  static Path clean;
  static ModelLoader loader;

  @BeforeAll
  static void generate() throws Exception {
    clean = temp.resolve("clean");
    CnnSavedModelGenerator.exportSavedModel(clean);
    loader = TestModels.loader(temp.resolve("scratch"));
  }

  @Test
  void readFileInTheGraphIsRefusedByName() throws Exception {
    Path model = variant("readfile", graph -> graph.toBuilder()
        .addNode(stringConst("evil/path", "/etc/hostname"))
        .addNode(NodeDef.newBuilder().setName("evil/read").setOp("ReadFile").addInput("evil/path"))
        .build());
    AbscanException e = refused(model);
    assertEquals(1, e.violations().size(), e.violations().toString());
    Violation v = e.violations().get(0);
    assertTrue(v.subject().contains("evil/read") && v.subject().contains("ReadFile"), v.subject());
    assertTrue(e.getMessage().contains("ReadFile"), e.getMessage());
  }

  @Test
  void readFileHiddenInANestedLibraryFunctionIsRefusedByFunctionAndName() throws Exception {
    FunctionDef inner = function("inner_reader", List.of(
        stringConst("path", "/etc/hostname").build(),
        NodeDef.newBuilder().setName("sneaky").setOp("ReadFile").addInput("path:output:0").build()));
    FunctionDef outer = function("outer_caller", List.of(
        NodeDef.newBuilder().setName("call").setOp("inner_reader").build()));
    Path model = variant("hidden", graph -> graph.toBuilder()
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(outer).addFunction(inner))
        .addNode(NodeDef.newBuilder().setName("innocent_call").setOp("PartitionedCall")
            .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("outer_caller")).build()))
        .build());
    AbscanException e = refused(model);
    assertEquals(1, e.violations().size(), e.violations().toString());
    String subject = e.violations().get(0).subject();
    assertTrue(subject.contains("inner_reader") && subject.contains("sneaky") && subject.contains("ReadFile"), subject);
  }

  @Test
  void uncalledLibraryFunctionsAreCheckedToo() throws Exception {
    FunctionDef orphan = function("orphan", List.of(
        NodeDef.newBuilder().setName("py").setOp("EagerPyFunc").build()));
    Path model = variant("orphan", graph -> graph.toBuilder()
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(orphan)).build());
    assertTrue(refused(model).violations().get(0).subject().contains("EagerPyFunc"));
  }

  @Test
  void everyOffendingOpIsNamed() throws Exception {
    Path model = variant("many", graph -> graph.toBuilder()
        .addNode(stringConst("p", "/tmp/x"))
        .addNode(NodeDef.newBuilder().setName("w").setOp("WriteFile").addInput("p").addInput("p"))
        .addNode(NodeDef.newBuilder().setName("ls").setOp("MatchingFiles").addInput("p"))
        .addNode(NodeDef.newBuilder().setName("say").setOp("PrintV2").addInput("p"))
        .build());
    List<String> subjects = refused(model).violations().stream().map(Violation::subject).toList();
    assertEquals(3, subjects.size(), subjects.toString());
    assertTrue(subjects.stream().anyMatch(s -> s.contains("WriteFile")), subjects.toString());
    assertTrue(subjects.stream().anyMatch(s -> s.contains("MatchingFiles")), subjects.toString());
    assertTrue(subjects.stream().anyMatch(s -> s.contains("PrintV2")), subjects.toString());
  }

  @Test
  void checkpointOpsOutsideTheSaverAreRefused() throws Exception {
    Path model = variant("restore", graph -> graph.toBuilder()
        .addNode(stringConst("other/prefix", "/srv/other-tenant/model/variables/variables"))
        .addNode(stringConst("other/names", "secret"))
        .addNode(NodeDef.newBuilder().setName("other/restore").setOp("RestoreV2")
            .addInput("other/prefix").addInput("other/names").addInput("other/names"))
        .build());
    AbscanException e = refused(model);
    assertEquals(1, e.violations().size(), e.violations().toString());
    assertTrue(e.violations().get(0).subject().contains("other/restore"));
  }

  @Test
  void restoreFromAnotherCheckpointInsideTheSaverIsRefused() throws Exception {
    Path model = variant("foreign-restore", graph -> {
      GraphDef.Builder edited = graph.toBuilder()
          .addNode(stringConst("save/foreign_prefix", "/srv/other-tenant/model/variables/variables"))
          .addNode(NodeDef.newBuilder().setName("save/foreign").setOp("RestoreV2")
              .addInput("save/foreign_prefix").addInput("save/Const").addInput("save/ZerosLike"));
      NodeDef.Builder restoreAll = nodeNamed(edited, "save/restore_all");
      restoreAll.addInput("^save/foreign");
      return edited.build();
    });
    AbscanException e = refused(model);
    assertEquals(1, e.violations().size(), e.violations().toString());
    assertTrue(e.violations().get(0).subject().contains("save/foreign"), e.violations().toString());
    assertTrue(e.violations().get(0).description().contains("filename"), e.violations().toString());
  }

  @Test
  void checkpointWriteThatRunsAtLoadTimeIsRefused() throws Exception {
    // A SaveV2 hung under the save tensor (where writes are allowed) but also run as the legacy init op.
    Path model = variantMeta("init-save", meta -> {
      GraphDef.Builder graph = meta.getGraphDef().toBuilder()
          .addNode(stringConst("save/dropper_path", "/tmp/abscan-pwned"))
          .addNode(NodeDef.newBuilder().setName("save/dropper").setOp("SaveV2")
              .addInput("save/dropper_path").addInput("save/Const").addInput("save/ZerosLike")
              .addInput("conv1/kernel_1"))
          .addNode(NodeDef.newBuilder().setName("innocent_init").setOp("NoOp").addInput("^save/dropper"));
      nodeNamed(graph, "save/control_dependency").addInput("^save/dropper");
      CollectionDef init = CollectionDef.newBuilder()
          .setNodeList(CollectionDef.NodeList.newBuilder().addValue("innocent_init")).build();
      return meta.toBuilder().setGraphDef(graph).putCollectionDef("legacy_init_op", init).build();
    });
    AbscanException e = refused(model);
    assertEquals(1, e.violations().size(), e.violations().toString());
    assertTrue(e.violations().get(0).subject().contains("save/dropper"), e.violations().toString());
  }

  @Test
  void theCleanModelPassesWithItsSaver() {
    SavedModel parsed = parse(clean);
    MetaGraphDef meta = parsed.getMetaGraphs(0);
    assertEquals(List.of(), GraphSecurityCheck.violations(meta.getGraphDef(), meta.getSaverDef(), Set.of(), ""));
    // Without the SaverDef, the same graph's SaveV2/RestoreV2 are no longer part of a saver.
    List<Violation> withoutSaver = GraphSecurityCheck.violations(meta.getGraphDef(), null, Set.of(), "");
    assertEquals(2, withoutSaver.size(), withoutSaver.toString());
  }

  @Test
  void frozenGraphDefWithPyFuncIsRefused() throws Exception {
    GraphDef graph = CnnSavedModelGenerator.frozenGraphDef().toBuilder()
        .addNode(NodeDef.newBuilder().setName("hook").setOp("PyFunc"))
        .build();
    Path file = temp.resolve("pyfunc.pb");
    Files.write(file, graph.toByteArray());
    assertTrue(loader.accepts(file));
    AbscanException e = refused(file);
    assertTrue(e.violations().get(0).subject().contains("PyFunc"));
  }

  private static AbscanException refused(Path model) {
    AbscanException e = assertThrows(AbscanException.class, () -> loader.load(model, LoadOptions.defaults()));
    assertEquals(ErrorCategory.MODEL_REFUSED, e.category(), e.getMessage());
    assertFalse(e.violations().isEmpty());
    return e;
  }

  /** A copy of the clean SavedModel (checkpoint included) whose graph went through {@code edit}. */
  private static Path variant(String name, UnaryOperator<GraphDef> edit) throws Exception {
    Path dir = temp.resolve(name);
    TestModels.copyTree(clean, dir);
    SavedModel parsed = parse(clean);
    MetaGraphDef meta = parsed.getMetaGraphs(0);
    SavedModel edited =
        parsed.toBuilder().setMetaGraphs(0, meta.toBuilder().setGraphDef(edit.apply(meta.getGraphDef()))).build();
    Files.write(dir.resolve("saved_model.pb"), edited.toByteArray());
    return dir;
  }

  /** A copy of the clean SavedModel whose meta graph went through {@code edit}. */
  private static Path variantMeta(String name, UnaryOperator<MetaGraphDef> edit) throws Exception {
    Path dir = temp.resolve(name);
    TestModels.copyTree(clean, dir);
    SavedModel parsed = parse(clean);
    SavedModel edited = parsed.toBuilder().setMetaGraphs(0, edit.apply(parsed.getMetaGraphs(0))).build();
    Files.write(dir.resolve("saved_model.pb"), edited.toByteArray());
    return dir;
  }

  private static NodeDef.Builder nodeNamed(GraphDef.Builder graph, String name) {
    for (NodeDef.Builder node : graph.getNodeBuilderList()) {
      if (node.getName().equals(name)) {
        return node;
      }
    }
    throw new AssertionError("no node " + name);
  }

  private static SavedModel parse(Path dir) {
    try {
      return SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static NodeDef.Builder stringConst(String name, String value) {
    TensorProto tensor =
        TensorProto.newBuilder().setDtype(DataType.DT_STRING).addStringVal(ByteString.copyFromUtf8(value)).build();
    return NodeDef.newBuilder()
        .setName(name)
        .setOp("Const")
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_STRING).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build());
  }

  private static FunctionDef function(String name, List<NodeDef> nodes) {
    return FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName(name))
        .addAllNodeDef(nodes)
        .build();
  }
}
