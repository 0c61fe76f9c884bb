package org.abscan.server.plugins;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerApplierFactory;

/** The engine's view of the trigger appliers the plugins provide. */
public final class PluginTriggerApplierRegistry implements TriggerApplierRegistry {
  private final PluginManager plugins;
  private final Path scratchRoot;

  public PluginTriggerApplierRegistry(PluginManager plugins, Path scratchRoot) {
    this.plugins = plugins;
    this.scratchRoot = scratchRoot;
  }

  @Override
  public TriggerApplier applier(String name) {
    RegisteredFactory<TriggerApplierFactory> factory = plugins.triggerAppliers().get(name);
    if (factory == null) {
      String message = "unknown trigger '" + name + "'; known: " + names();
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, message,
          List.of(new AbscanException.Violation("parameters.triggers", message)));
    }
    return factory.factory().create(Map.of(), new HostPluginContext(scratchRoot.resolve("trigger-" + name)));
  }

  @Override
  public Set<String> names() {
    return plugins.triggerAppliers().keySet();
  }
}
