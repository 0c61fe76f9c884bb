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

/** Session configuration and device placement shared by every graph the engine builds. */
public final class TensorFlowRuntime {
  private static final Pattern DEVICE =
      Pattern.compile("^/(?:device:)?(CPU|GPU)(?::(\\d+))?$", Pattern.CASE_INSENSITIVE);

  private TensorFlowRuntime() {}

  /**
   * Thread pools sized to the machine (the engine runs one session at a time) and soft placement, so ops
   * without a kernel on the requested device fall back to the CPU instead of failing the scan. On a GPU build
   * (Maven profile {@code gpu}) memory grows as needed instead of TensorFlow reserving the whole card; CPU
   * builds ignore the GPU options.
   */
  public static ConfigProto sessionConfig() {
    int threads = Runtime.getRuntime().availableProcessors();
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        .setInterOpParallelismThreads(threads)
        .setAllowSoftPlacement(true)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
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
