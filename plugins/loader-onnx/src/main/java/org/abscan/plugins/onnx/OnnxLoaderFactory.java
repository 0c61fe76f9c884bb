package org.abscan.plugins.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.PluginContext;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelLoaderFactory;

/** Factory of the "onnx" format. It takes no configuration keys. */
public final class OnnxLoaderFactory implements ModelLoaderFactory {
  public static final String NAME = "onnx";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ONNX models exported by PyTorch (opsets " + OnnxModelReader.MIN_OPSET + "-"
        + OnnxModelReader.MAX_OPSET + "; NCHW image input)";
  }

  @Override
  public ModelLoader create(Map<String, String> config, PluginContext context) {
    if (!config.isEmpty()) {
      List<Violation> violations = new ArrayList<>();
      config.keySet().stream().sorted().forEach(key ->
          violations.add(new Violation(key, "unknown configuration key of the onnx loader (it takes none)")));
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "unknown onnx loader configuration keys "
          + config.keySet(), violations);
    }
    return new OnnxModelLoader();
  }
}
