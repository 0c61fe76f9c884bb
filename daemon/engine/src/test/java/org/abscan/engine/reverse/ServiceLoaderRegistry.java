package org.abscan.engine.reverse;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.abscan.engine.TriggerApplierRegistry;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.Plugin;
import org.abscan.spi.trigger.TriggerApplier;
import org.abscan.spi.trigger.TriggerApplierFactory;

/** The trigger plugins on the test class path, as the daemon's registry would offer them. */
final class ServiceLoaderRegistry implements TriggerApplierRegistry {
  private final Map<String, TriggerApplierFactory> factories = new TreeMap<>();

  ServiceLoaderRegistry() {
    for (Plugin plugin : ServiceLoader.load(Plugin.class)) {
      plugin.getTriggerApplierFactories().forEach(f -> factories.put(f.name(), f));
    }
  }

  @Override
  public TriggerApplier applier(String name) {
    TriggerApplierFactory factory = factories.get(name);
    if (factory == null) {
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, "no trigger named " + name);
    }
    return factory.create(Map.of(), null);
  }

  @Override
  public Set<String> names() {
    return factories.keySet();
  }
}
