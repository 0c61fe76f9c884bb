package org.abscan.server.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.abscan.proto.plugin.v1.ListPluginsRequest;
import org.abscan.proto.plugin.v1.PluginInfo;
import org.abscan.proto.plugin.v1.PluginKind;
import org.abscan.proto.plugin.v1.PluginServiceGrpc;
import org.abscan.server.EmbeddedDaemon;
import org.abscan.server.config.DaemonConfig;
import org.abscan.server.testing.FakeScanEngine;
import org.abscan.server.testing.GrpcCleanup;
import org.abscan.server.testing.TestDaemonComponent;
import org.abscan.spi.Plugin;
import org.abscan.spi.SpiVersion;
import org.abscan.spi.trigger.TriggerApplierFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PluginDirectoryTest {
  @RegisterExtension final GrpcCleanup cleanup = new GrpcCleanup();
  @TempDir Path temp;

  @Test
  void aPluginDirectoryLoadsInItsOwnClassLoaderAndIsListed() throws Exception {
    Path pluginDir = temp.resolve("plugins");
    Path fixture = FixturePluginJar.build(temp, pluginDir, "fixture-a", "fixture-trigger", "3.1.4", null);

    PluginManager manager = PluginManager.load(getClass().getClassLoader(), List.of(pluginDir));
    RegisteredFactory<TriggerApplierFactory> factory = manager.triggerAppliers().get("fixture-trigger");
    ClassLoader loader = factory.factory().getClass().getClassLoader();
    PluginClassLoader pluginLoader = assertInstanceOf(PluginClassLoader.class, loader);
    assertEquals(fixture.toString(), pluginLoader.source());
    // Shared packages come from the host: the plugin implements the daemon's very own SPI interface.
    assertSame(Plugin.class, loader.loadClass(Plugin.class.getName()));
    // Everything else is isolated: the daemon's own classes are invisible to the plugin.
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass(PluginManager.class.getName()));
    assertNotSame(getClass().getClassLoader(), loader);
    assertEquals(new PluginOrigin(fixture.toString(), "3.1.4", SpiVersion.current()), factory.origin());

    DaemonConfig config = DaemonConfig.defaults().withDataDir(temp.resolve("data"))
        .withPluginDirs(List.of(pluginDir)).withWorkers(1);
    EmbeddedDaemon daemon = cleanup.register(
        EmbeddedDaemon.start(TestDaemonComponent.create(config, new FakeScanEngine())));
    List<PluginInfo> plugins = PluginServiceGrpc.newBlockingStub(daemon.channel())
        .listPlugins(ListPluginsRequest.getDefaultInstance()).getPluginsList();
    PluginInfo listed = plugins.stream().filter(p -> p.getName().equals("fixture-trigger")).findFirst()
        .orElseThrow(() -> new AssertionError("not listed: " + plugins));
    assertEquals(PluginKind.PLUGIN_KIND_TRIGGER_APPLIER, listed.getKind());
    assertEquals("3.1.4", listed.getPluginVersion());
    assertEquals(SpiVersion.current(), listed.getSpiVersion());
    assertEquals(fixture.toString(), listed.getSource());
    assertEquals("fixture trigger from a plugin directory", listed.getDescription());
    assertEquals("builtin", plugins.get(0).getSource(), "built-in plugins are listed first");
  }

  @Test
  void aPluginBuiltForAnotherSpiMajorIsSkipped() throws Exception {
    Path pluginDir = temp.resolve("plugins");
    FixturePluginJar.build(temp, pluginDir, "future", "future-trigger", "1.0", "99.0");
    FixturePluginJar.build(temp, pluginDir, "present", "present-trigger", "1.0", SpiVersion.current());

    PluginManager manager = PluginManager.load(getClass().getClassLoader(), List.of(pluginDir));

    assertFalse(manager.triggerAppliers().containsKey("future-trigger"));
    assertTrue(manager.triggerAppliers().containsKey("present-trigger"));
  }

  @Test
  void duplicateFactoryNamesFailStartupNamingBothSources() throws Exception {
    Path pluginDir = temp.resolve("plugins");
    Path a = FixturePluginJar.build(temp, pluginDir, "one", "same-name", "1.0", null);
    Path b = FixturePluginJar.build(temp, pluginDir, "two", "same-name", "1.0", null);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PluginManager.load(getClass().getClassLoader(), List.of(pluginDir)));
    assertTrue(e.getMessage().contains(a.toString()) && e.getMessage().contains(b.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("same-name"), e.getMessage());
  }
}
