package org.abscan.cli.progress;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Progress for logs and pipes: every message on its own line, and a counter only when it crosses a tenth of
 * its total (or finishes), so a long scan writes tens of lines, not thousands.
 */
final class PlainProgress extends ProgressPrinter {
  private static final int STEPS = 10;

  private final PrintWriter err;
  private final Map<String, Long> lastStep = new HashMap<>();

  PlainProgress(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void line(String message) {
    err.println(message);
    err.flush();
  }

  @Override
  public void bar(String key, String label, long done, long total, String detail) {
    long step = total > 0 ? Math.min(STEPS, done * STEPS / total) : 0;
    Long previous = lastStep.put(key, step);
    if (previous != null && previous == step) {
      return;
    }
    String counts = total > 0
        ? String.format(Locale.ROOT, "%d/%d (%d%%)", done, total, done * 100 / total)
        : String.valueOf(done);
    line(label + " " + counts + (detail.isEmpty() ? "" : ", " + detail));
  }

  @Override
  public void finish() {
    err.flush();
  }
}
