package org.abscan.engine.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abscan.spi.AbscanException;
import org.abscan.spi.AbscanException.Violation;
import org.abscan.spi.ErrorCategory;
import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/** Session configuration and device placement shared by every graph the engine builds. */
public final class TensorFlowRuntime {
  private static final Pattern DEVICE =
      Pattern.compile("^/(?:device:)?(CPU|GPU)(?::(\\d+))?$", Pattern.CASE_INSENSITIVE);

  /**
   * System properties overriding the thread pool sizes, for measurements. TensorFlow sizes its CPU pools once
   * per process, from the first session's config, so they take effect only when set at JVM start.
   */
  public static final String INTRA_OP_PROPERTY = "abscan.tf.intraOpThreads";
  public static final String INTER_OP_PROPERTY = "abscan.tf.interOpThreads";
  /** System property: "true" runs grappler on CPU sessions too (the TensorFlow default), for comparisons. */
  public static final String GRAPPLER_PROPERTY = "abscan.tf.cpuGrappler";

  private TensorFlowRuntime() {}

  private static int threads(String property, int fallback) {
    Integer configured = Integer.getInteger(property);
    return configured != null && configured > 0 ? configured : fallback;
  }

  /**
   * Thread pools sized to the machine and soft placement, so ops without a kernel on the requested device fall
   * back to the CPU instead of failing the scan. On a GPU build
   * (Maven profile {@code gpu}) memory grows as needed instead of TensorFlow reserving the whole card; CPU
   * builds ignore the GPU options.
   */
  public static ConfigProto sessionConfig(String device) {
    int threads = Runtime.getRuntime().availableProcessors();
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads(INTRA_OP_PROPERTY, threads))
        .setInterOpParallelismThreads(threads(INTER_OP_PROPERTY, threads))
        .setAllowSoftPlacement(true)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
        .setGraphOptions(graphOptions(device))
        .build();
  }

  /**
   * Grappler (TensorFlow's graph optimiser) off on the CPU: the engine's graphs are built for one scan and
   * run a few hundred times at most, and grappler's pass over a fresh training graph took 0.2-1 s of the first
   * step of every trigger batch (3-10x that step's cost) for no measurable gain per step afterwards
   * (docs/benchmarks.md). On a GPU it stays on: its layout and fusion passes matter there.
   */
  private static GraphOptions graphOptions(String device) {
    boolean gpu = device.toUpperCase(Locale.ROOT).contains("GPU");
    boolean forced = Boolean.parseBoolean(System.getProperty(GRAPPLER_PROPERTY, "false"));
    return GraphOptions.newBuilder()
        .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(!gpu && !forced))
        .build();
  }

  /** Collects a violation of {@code field} if {@code device} is not "", "/CPU:n", "/GPU:n" or "/device:X:n". */
  public static void validateDevice(String device, String field, List<Violation> violations) {
    if (!device.isEmpty() && !DEVICE.matcher(device).matches()) {
      violations.add(new Violation(field,
          "device must be empty (CPU), \"/CPU:<n>\" or \"/GPU:<n>\", got \"" + device + "\""));
    }
  }

  /** {@code tf} with its device scope set to {@code device} ("" leaves placement to TensorFlow: the CPU). */
  public static Ops onDevice(Ops tf, String device) {
    if (device.isEmpty()) {
      return tf;
    }
    Matcher m = DEVICE.matcher(device);
    if (!m.matches()) {
      List<Violation> violations = new ArrayList<>();
      validateDevice(device, "parameters.device", violations);
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "invalid device", violations);
    }
    DeviceSpec.DeviceType type = DeviceSpec.DeviceType.valueOf(m.group(1).toUpperCase(Locale.ROOT));
    int index = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return tf.withDevice(DeviceSpec.newBuilder().deviceType(type).deviceIndex(index).build());
  }
}
