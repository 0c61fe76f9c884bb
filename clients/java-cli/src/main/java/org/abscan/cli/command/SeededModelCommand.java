package org.abscan.cli.command;

import org.abscan.cli.options.SeedOptions;
import picocli.CommandLine.Mixin;

/** A command that stimulates a model with benign seed images (scan, nsf, trigger). */
public abstract class SeededModelCommand extends ModelCommand {
  @Mixin
  SeedOptions seeds;

  @Override
  protected String seedFolder() {
    return seeds.seeds;
  }
}
