package org.abscan.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code abscan --version}: the jar's Implementation-Version (set by the build) and the Java runtime. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
        "abscan " + version(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }

  public static String version() {
    String version = AbscanCli.class.getPackage().getImplementationVersion();
    return version == null ? "dev (not run from a built jar)" : version;
  }
}
