package org.abscan.cli.command;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.progress.ProgressPrinter;
import org.abscan.cli.report.TextTable;
import org.abscan.proto.model.v1.DescribeModelRequest;
import org.abscan.proto.model.v1.InputSpec;
import org.abscan.proto.model.v1.LayerInfo;
import org.abscan.proto.model.v1.ModelDescription;
import picocli.CommandLine.Command;

/** {@code abscan describe}: what abscan sees in a model — input, layers, logits. */
@Command(name = "describe", sortOptions = false,
    description = "Describe a model as abscan sees it: input, layers (candidates for ABS marked), logits.")
public final class DescribeCommand extends ModelCommand {
  @Override
  protected int run(Session session) {
    ProgressPrinter progress = ProgressPrinter.choose(false, context().interactive(), session.err());
    DescribeModelRequest request = DescribeModelRequest.newBuilder()
        .setModel(inputs(session, progress).model())
        .setPreprocessing(preprocessing.toProto())
        .build();
    print(session.models().describeModel(request).getDescription(), session.out());
    return ExitCodes.OK;
  }

  static void print(ModelDescription model, PrintWriter out) {
    InputSpec input = model.getInput();
    out.println("model       " + model.getModelId());
    out.println("format      " + model.getFormat());
    out.println(String.format(Locale.ROOT, "input       %s: %dx%dx%d (HxWxC), %s", input.getName(), input.getHeight(),
        input.getWidth(), input.getChannels(), input.getLayout().name().replaceFirst("^LAYOUT_", "")));
    out.println("logits      " + model.getLogits() + " (" + model.getNumLabels() + " labels)");
    out.println(String.format(Locale.ROOT, "parameters  %,d", model.getParameterCount()));
    out.println();
    TextTable layers = new TextTable("LAYER", "KIND", "SHAPE", "NEURONS", "CANDIDATE");
    for (LayerInfo layer : model.getLayersList()) {
      layers.row(layer.getName(), layer.getKind(),
          layer.getShapeList().stream().map(String::valueOf).collect(Collectors.joining("x")),
          layer.getNeurons(), layer.getCandidate() ? "yes" : "");
    }
    layers.print(out);
  }
}
