package org.abscan.server.plugins;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.abscan.spi.Plugin;
import org.tensorflow.op.Ops;

/**
 * Builds a third-party plugin jar at test time: compiles a small Plugin with one TriggerApplierFactory against
 * the SPI and TensorFlow on the test classpath, adds META-INF/services and a manifest, and jars it into
 * {@code <pluginDir>/<name>/}.
 */
final class FixturePluginJar {
  private FixturePluginJar() {}

  /**
   * @param triggerName the factory's name
   * @param spiVersion the manifest's Abscan-Spi-Version, or null to leave it out
   */
  static Path build(Path work, Path pluginDir, String name, String triggerName, String version,
      String spiVersion) throws IOException, URISyntaxException {
    String pkg = "com.example." + name.replace('-', '_');
    Path src = Files.createDirectories(work.resolve(name + "-src").resolve(pkg.replace('.', '/')));
    Files.writeString(src.resolve("FixturePlugin.java"), """
        package %1$s;

        import java.util.List;
        import java.util.Map;
        import org.abscan.spi.Plugin;
        import org.abscan.spi.PluginContext;
        import org.abscan.spi.trigger.TriggerApplier;
        import org.abscan.spi.trigger.TriggerApplierFactory;

        public final class FixturePlugin implements Plugin {
          @Override
          public Iterable<TriggerApplierFactory> getTriggerApplierFactories() {
            return List.of(new TriggerApplierFactory() {
              @Override public String name() { return "%2$s"; }
              @Override public String description() { return "fixture trigger from a plugin directory"; }
              @Override public TriggerApplier create(Map<String, String> config, PluginContext context) {
                throw new UnsupportedOperationException("fixture");
              }
            });
          }
        }
        """.formatted(pkg, triggerName));
    Path classes = Files.createDirectories(work.resolve(name + "-classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classpath = location(Plugin.class) + java.io.File.pathSeparator + location(Ops.class);
    int rc = javac.run(null, null, null, "-classpath", classpath, "-d", classes.toString(),
        src.resolve("FixturePlugin.java").toString());
    if (rc != 0) {
      throw new IllegalStateException("fixture plugin did not compile (javac exit " + rc + ")");
    }

    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    if (spiVersion != null) {
      manifest.getMainAttributes().putValue("Abscan-Spi-Version", spiVersion);
    }
    Path dir = Files.createDirectories(pluginDir.resolve(name));
    Path jar = dir.resolve(name + "-" + version + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.putNextEntry(new JarEntry("META-INF/services/" + Plugin.class.getName()));
      out.write((pkg + ".FixturePlugin\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      List<Path> files = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(classes)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      }
      for (Path file : files) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        try (OutputStream entry = new NonClosing(out)) {
          Files.copy(file, entry);
        }
        out.closeEntry();
      }
    }
    return dir;
  }

  private static String location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
