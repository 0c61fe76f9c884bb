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
import org.abscan.spi.model.LoadOptions;
import org.abscan.spi.model.LoadedModel;
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

  /** @throws AbscanException INVALID_ARGUMENT when no plugin offers {@code format} */
  public void checkKnown(String format, String field) {
    if (!plugins.modelLoaders().containsKey(format)) {
      String message = "unknown model format '" + format + "'; known formats: " + formats();
      throw new AbscanException(ErrorCategory.INVALID_ARGUMENT, message,
          List.of(new AbscanException.Violation(field, message)));
    }
  }

  /**
   * The loader named by {@code format}, else the first that recognises the content.
   *
   * @param field the request field holding the model reference ("model")
   * @throws AbscanException INVALID_ARGUMENT for an unknown name, UNSUPPORTED_MODEL when nothing recognises it
   */
  public NamedLoader choose(Path model, String format, String field) {
    if (!format.isEmpty()) {
      return byName(format, field + ".format");
    }
    return detect(model).orElseThrow(() -> new AbscanException(ErrorCategory.UNSUPPORTED_MODEL,
        "unsupported model format: no loader recognises '" + model.getFileName() + "'; known formats: "
            + formats(),
        List.of(new AbscanException.Violation(field, "unsupported model format: '" + model.getFileName()
            + "'; known formats: " + formats()))));
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

  /**
   * Parses {@code model} with {@code loader}; the caller closes the result.
   *
   * @throws AbscanException MALFORMED_MODEL when the file cannot be read, or whatever the loader raises
   */
  public static LoadedModel load(ModelLoader loader, Path model) {
    try {
      return loader.load(model, LoadOptions.defaults());
    } catch (IOException e) {
      throw new AbscanException(ErrorCategory.MALFORMED_MODEL,
          "cannot read model '" + model.getFileName() + "': " + e.getMessage(),
          List.of(new AbscanException.Violation("model", "unreadable: " + e.getMessage())), e);
    }
  }

  private ModelLoader loader(RegisteredFactory<ModelLoaderFactory> factory) {
    return created.computeIfAbsent(factory.name(), name -> factory.factory()
        .create(Map.of(), new HostPluginContext(scratchRoot.resolve("loader-" + name))));
  }
}
