package org.abscan.cli.progress;

/** --quiet: no progress at all. */
final class SilentProgress extends ProgressPrinter {
  @Override
  public void line(String message) {}

  @Override
  public void bar(String key, String label, long done, long total, String detail) {}

  @Override
  public void finish() {}
}
