package org.abscan.cli.command;

import java.util.Locale;
import org.abscan.cli.ExitCodes;
import org.abscan.cli.report.TextTable;
import org.abscan.proto.plugin.v1.ListPluginsRequest;
import org.abscan.proto.plugin.v1.PluginInfo;
import org.abscan.proto.plugin.v1.PluginKind;
import picocli.CommandLine.Command;

/** {@code abscan plugins}: the model loaders and trigger appliers the daemon knows. */
@Command(name = "plugins", description = "List the daemon's plugins: model loaders and trigger appliers.")
public final class PluginsCommand extends ConnectedCommand {
  @Override
  protected int run(Session session) {
    TextTable table = new TextTable("NAME", "KIND", "VERSION", "SPI", "SOURCE");
    for (PluginInfo plugin : session.plugins().listPlugins(ListPluginsRequest.getDefaultInstance()).getPluginsList()) {
      table.row(plugin.getName(), kind(plugin.getKind()), plugin.getPluginVersion(), plugin.getSpiVersion(),
          plugin.getSource());
    }
    table.print(session.out());
    return ExitCodes.OK;
  }

  /** "model-loader" rather than "PLUGIN_KIND_MODEL_LOADER". */
  static String kind(PluginKind kind) {
    return kind.name().replaceFirst("^PLUGIN_KIND_", "").toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
