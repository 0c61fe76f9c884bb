package org.abscan.cli.options;

import picocli.CommandLine.Option;

/** The benign seed images: an ImageFolder directory {@code <label>/<file>}. */
public final class SeedOptions {
  @Option(names = "--seeds", required = true, paramLabel = "DIR",
      description = "Seed images in the ImageFolder layout <label>/<file> (PNG, JPEG, PPM/PGM), ideally several per label.")
  public String seeds;
}
