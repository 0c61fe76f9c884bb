package org.abscan.cli.progress;

import java.io.PrintWriter;
import java.util.Locale;

/** Progress on a terminal: one bar, redrawn in place with carriage returns; messages scroll above it. */
final class TerminalProgress extends ProgressPrinter {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private int barLength;

  TerminalProgress(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void line(String message) {
    clearBar();
    err.println(message);
    err.flush();
  }

  @Override
  public void bar(String key, String label, long done, long total, String detail) {
    int filled = total > 0 ? (int) Math.min(WIDTH, done * WIDTH / total) : 0;
    String percent = total > 0 ? String.format(Locale.ROOT, "%3d%%", done * 100 / total) : "   ";
    String text = String.format(Locale.ROOT, "%s [%s%s] %s %d/%d %s", label, "#".repeat(filled),
        ".".repeat(WIDTH - filled), percent, done, total, detail);
    err.print("\r" + text + " ".repeat(Math.max(0, barLength - text.length())));
    err.flush();
    barLength = text.length();
  }

  @Override
  public void finish() {
    if (barLength > 0) {
      err.println();
      err.flush();
      barLength = 0;
    }
  }

  private void clearBar() {
    if (barLength > 0) {
      err.print("\r" + " ".repeat(barLength) + "\r");
      barLength = 0;
    }
  }
}
