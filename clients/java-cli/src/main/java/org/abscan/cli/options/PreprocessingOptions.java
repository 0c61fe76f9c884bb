package org.abscan.cli.options;

import java.util.ArrayList;
import java.util.List;
import org.abscan.proto.common.v1.Layout;
import org.abscan.proto.common.v1.Preprocessing;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How seed pixels become model inputs (the Preprocessing message). */
public final class PreprocessingOptions {
  /** The model input layouts a user can name. */
  public enum LayoutName { NHWC, NCHW }

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--input-range", split = ",", hideParamSyntax = true, paramLabel = "LO,HI",
      description = "Range pixels are scaled to before mean/std (default 0,1).")
  public List<Float> inputRange = new ArrayList<>();

  @Option(names = "--mean", split = ",", hideParamSyntax = true, paramLabel = "a,b,c", description = "Per-channel mean subtracted after scaling.")
  public List<Float> mean = new ArrayList<>();

  @Option(names = "--std", split = ",", hideParamSyntax = true, paramLabel = "a,b,c", description = "Per-channel standard deviation divided by.")
  public List<Float> std = new ArrayList<>();

  @Option(names = "--layout", paramLabel = "NHWC|NCHW", description = "Input layout (default: the model's own).")
  public LayoutName layout;

  public Preprocessing toProto() {
    Preprocessing.Builder builder = Preprocessing.newBuilder().addAllMean(mean).addAllStd(std);
    if (!inputRange.isEmpty()) {
      if (inputRange.size() != 2 || !(inputRange.get(0) < inputRange.get(1))) {
        throw new ParameterException(spec.commandLine(),
            "--input-range needs LO,HI with LO < HI, got " + inputRange);
      }
      builder.setInputMin(inputRange.get(0)).setInputMax(inputRange.get(1));
    }
    if (layout != null) {
      builder.setLayout(layout == LayoutName.NHWC ? Layout.LAYOUT_NHWC : Layout.LAYOUT_NCHW);
    }
    return builder.build();
  }
}
