package org.abscan.server.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.abscan.server.plugins.HostPluginContext;
import org.abscan.server.plugins.PluginManager;
import org.abscan.server.plugins.RegisteredFactory;
import org.abscan.spi.AbscanException;
import org.abscan.spi.ErrorCategory;
import org.abscan.spi.model.ModelLoader;
import org.abscan.spi.model.ModelLoaderFactory;

/** The model loaders the plugins provide, by format name; each is created once and reused. */
public final class ModelLoaders {
  /** A loader and the format name it was registered under. */
  public record NamedLoader(String format, ModelLoader loader) {}

  private final PluginManager plugins;
  private final Path scratchRoot;
  private final Map<String, ModelLoader> created = new ConcurrentHashMap<>();

  public ModelLoaders(PluginManager plugins, Path scratchRoot) {
    this.plugins = plugins;
    this.scratchRoot = scratchRoot;
  }

  public Set<String> formats() {
    return plugins.modelLoaders().keySet();
  }

  /**
   * @param field the request field that named the format, for the error
   * @throws AbscanException INVALID_ARGUMENT naming the format and listing the known ones
   */
  public NamedLoader byName(String format, String field) {
    RegisteredFactory<ModelLoaderFactory> factory = plugins.modelLoaders().get(format);
    if (factory == null) {
      String message = "unknown model format '" + format + "'; known formats: " + formats();
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, message,
          List.of(new AbscanException.Violation(field, message)));
    }
    return new NamedLoader(format, loader(factory));
  }

  /** The first loader, in registration order, that recognises the content. */
  public Optional<NamedLoader> detect(Path model) {
    for (RegisteredFactory<ModelLoaderFactory> factory : plugins.modelLoaders().values()) {
      ModelLoader loader = loader(factory);
      try {
        if (loader.accepts(model)) {
          return Optional.of(new NamedLoader(factory.name(), loader));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + model.getFileName(), e);
      }
    }
    return Optional.empty();
  }

  private ModelLoader loader(RegisteredFactory<ModelLoaderFactory> factory) {
    return created.computeIfAbsent(factory.name(), name -> factory.factory()
        .create(Map.of(), new HostPluginContext(scratchRoot.resolve("loader-" + name))));
  }
}
