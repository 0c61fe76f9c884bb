package org.abscan.plugins.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.Map;
import org.abscan.plugins.onnx.proto.OnnxProto.GraphProto;
import org.abscan.plugins.onnx.proto.OnnxProto.ModelProto;
import org.abscan.plugins.onnx.proto.OnnxProto.StringStringEntryProto;
import org.abscan.plugins.onnx.proto.OnnxProto.TensorProto;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad and unsupported models give AbscanExceptions with the right category, naming what is wrong. */
class OnnxErrorTest {
  @TempDir Path tmp;

  /** x [N,2,4,4] -> Conv(3, 1x1) -> Relu -> Flatten -> Gemm(5): a small valid model to break. */
  private static GraphProto.Builder smallNet() {
    return Models.graph(2, 4, 4)
        .addInitializer(Models.floats("w", new long[] {3, 2, 1, 1}, Models.ramp(6, 0.1f)))
        .addInitializer(Models.floats("fc.w", new long[] {5, 48}, Models.ramp(240, 0.01f)))
        .addNode(Models.node("Conv", "/conv/Conv", new String[] {"x", "w"}, "c")
            .addAttribute(Models.ints("kernel_shape", 1, 1)))
        .addNode(Models.node("Relu", "/relu/Relu", new String[] {"c"}, "r"))
        .addNode(Models.node("Flatten", "/flat/Flatten", new String[] {"r"}, "f"))
        .addNode(Models.node("Gemm", "/fc/Gemm", new String[] {"f", "fc.w"}, "y")
            .addAttribute(Models.intAttr("transB", 1)));
  }

  private AbscanException loadFails(ModelProto model) {
    Path file = Models.write(tmp, "bad", model);
    return assertThrows(AbscanException.class, () -> TestSupport.load(file));
  }

  @Test
  void theSmallNetItselfLoads() throws Exception {
    try (LoadedModel model = TestSupport.load(Models.write(tmp, "ok", Models.model(smallNet(), 13)))) {
      assertEquals(5, model.spec().numLabels());
      assertEquals("/conv/Conv/relu", model.spec().candidateLayers().get(0).name());
      assertEquals("/fc/Gemm", model.spec().logitsName());
    }
  }

  @Test
  void unsupportedOpNamesOpAndNode() {
    GraphProto.Builder g = smallNet();
    g.setNode(1, Models.node("InstanceNormalization", "/norm/InstanceNormalization", new String[] {"c"}, "r"));
    AbscanException e = loadFails(Models.model(g, 13));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category());
    assertEquals("/norm/InstanceNormalization", e.violations().get(0).subject());
    assertTrue(e.violations().get(0).description().contains("InstanceNormalization"));
    assertTrue(e.getMessage().contains("/norm/InstanceNormalization (InstanceNormalization)"), e.getMessage());
  }

  @Test
  void opOfAnotherDomainIsUnsupported() {
    GraphProto.Builder g = smallNet();
    g.setNode(1, Models.node("Relu", "/custom/Relu", new String[] {"c"}, "r").setDomain("com.example"));
    AbscanException e = loadFails(Models.model(g, 13));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category());
    assertTrue(e.violations().get(0).description().contains("com.example"));
  }

  @Test
  void externalDataIsUnsupportedWithAClearMessage() {
    GraphProto.Builder g = smallNet();
    g.setInitializer(0, TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(3).addDims(2).addDims(1).addDims(1)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin")));
    AbscanException e = loadFails(Models.model(g, 13));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category());
    assertTrue(e.getMessage().contains("external data"), e.getMessage());
    assertEquals("initializer w", e.violations().get(0).subject());
  }

  @Test
  void hugeInitializerIsRefusedBeforeAllocation() {
    GraphProto.Builder g = smallNet();
    g.setInitializer(0, TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(1L << 20).addDims(1L << 20).addDims(1).addDims(1));
    AbscanException e = loadFails(Models.model(g, 13));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, e.category());

    g.setInitializer(0, TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(Long.MAX_VALUE / 2).addDims(4));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, loadFails(Models.model(g, 13)).category(), "dims overflow");
  }

  @Test
  void decodedWeightsOverTheModelLimitAreRefused() throws Exception {
    // 4,000 int64 zeros take ~4 KB in the file (packed varints) but 32 KB once decoded.
    GraphProto.Builder g = smallNet().addInitializer(Models.longs("counts", new long[4000]));
    Path file = Models.write(tmp, "ints", Models.model(g, 13));
    long limit = java.nio.file.Files.size(file) + 100;
    AbscanException e = assertThrows(AbscanException.class,
        () -> TestSupport.loader().load(file, new LoadOptions(Map.of(), limit)));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, e.category());
    assertEquals("initializer counts", e.violations().get(0).subject());
  }

  @Test
  void rawDataOfTheWrongLengthIsMalformed() {
    GraphProto.Builder g = smallNet();
    g.setInitializer(0, TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(3).addDims(2).addDims(1).addDims(1).setRawData(ByteString.copyFrom(new byte[10])));
    AbscanException e = loadFails(Models.model(g, 13));
    assertEquals(ErrorCategory.MALFORMED_MODEL, e.category());
    assertTrue(e.getMessage().contains("raw data holds 10 bytes"), e.getMessage());
  }

  @Test
  void opsetOutsideTheSupportedRangeIsUnsupported() {
    AbscanException e = loadFails(Models.model(smallNet(), 7));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category());
    assertTrue(e.getMessage().contains("opset 7"), e.getMessage());
  }

  @Test
  void structuralProblemsAreMalformed() {
    GraphProto.Builder undefined = smallNet();
    undefined.setNode(1, Models.node("Relu", "/relu/Relu", new String[] {"nowhere"}, "r"));
    AbscanException e = loadFails(Models.model(undefined, 13));
    assertEquals(ErrorCategory.MALFORMED_MODEL, e.category());
    assertTrue(e.getMessage().contains("nowhere"));

    assertEquals(ErrorCategory.MALFORMED_MODEL,
        loadFails(ModelProto.newBuilder().setIrVersion(8).build()).category(), "no graph");

    GraphProto.Builder noOpset = smallNet();
    assertEquals(ErrorCategory.MALFORMED_MODEL,
        loadFails(ModelProto.newBuilder().setIrVersion(8).setGraph(noOpset).build()).category(), "no opset");

    GraphProto.Builder wrongKernel = smallNet();
    wrongKernel.setInitializer(1, Models.floats("fc.w", new long[] {5, 47}, Models.ramp(235, 0.01f)));
    AbscanException shapes = loadFails(Models.model(wrongKernel, 13));
    assertEquals(ErrorCategory.MALFORMED_MODEL, shapes.category());
    assertTrue(shapes.getMessage().contains("/fc/Gemm"), shapes.getMessage());
  }

  @Test
  void reshapeThatFoldsTheBatchAwayIsUnsupported() {
    GraphProto.Builder g = smallNet();
    g.addInitializer(Models.longs("target", -1, 8));
    g.setNode(2, Models.node("Reshape", "/flat/Reshape", new String[] {"r", "target"}, "f"));
    AbscanException e = loadFails(Models.model(g, 13));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category());
    assertTrue(e.getMessage().contains("batch"), e.getMessage());
  }

  @Test
  void onlySingleImageInputsAreSupported() {
    GraphProto.Builder g = smallNet();
    g.addInput(g.getInput(0).toBuilder().setName("x2"));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, loadFails(Models.model(g, 13)).category());

    GraphProto.Builder dynamic = smallNet();
    dynamic.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2)
        .clearDimValue().setDimParam("height");
    AbscanException e = loadFails(Models.model(dynamic, 13));
    assertEquals(ErrorCategory.UNSUPPORTED_MODEL, e.category());
    assertTrue(e.getMessage().contains("'height'"), e.getMessage());
  }

  @Test
  void hugeFoldedConstantIsRefusedBeforeAllocation() {
    GraphProto.Builder g = smallNet();
    g.addInitializer(Models.longs("huge", 1L << 20, 1L << 20));
    g.setNode(1, Models.node("ConstantOfShape", "/big/ConstantOfShape", new String[] {"huge"}, "big"));
    g.addNode(2, Models.node("Add", "/add/Add", new String[] {"c", "big"}, "r"));
    AbscanException e = loadFails(Models.model(g, 13));
    assertEquals(ErrorCategory.LIMIT_EXCEEDED, e.category(), e.getMessage());
  }
}
