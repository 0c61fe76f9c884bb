package org.abscan.cli.progress;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.abscan.proto.scan.v1.TriggerProgress;

/**
 * Progress on a terminal: one progress bar at a time (me.tongfei:progressbar), redrawn in place; messages
 * scroll above it. A bar that is replaced by the next one, or ends with the call, stays on screen as history.
 *
 * <p>The bar library redraws from its own thread, so drawing and messages share one lock, and bars write
 * through {@link LineConsumer} to the command's stderr writer rather than to {@code System.err}.
 */
final class TerminalProgress extends ProgressPrinter {
  private static final int DEFAULT_WIDTH = 100;
  private static final int REDRAW_MILLIS = 150;

  private final Object lock = new Object();
  private final PrintWriter err;
  private final int width;
  private String activeKey;
  private ProgressBar active;
  /** Characters of the bar on the current line; 0 when the cursor is at the start of an empty line. */
  private int drawn;
  private String reverseDetail = "";

  TerminalProgress(PrintWriter err, int width) {
    this.err = err;
    this.width = width > 20 ? width : DEFAULT_WIDTH;
  }

  @Override
  public void line(String message) {
    synchronized (lock) {
      clearLine();
      err.println(message);
      err.flush();
    }
  }

  @Override
  public void bar(String key, String label, long done, long total, String detail) {
    ProgressBar bar = barFor(key, label, total);
    if (total > 0 && total != bar.getMax()) {
      bar.maxHint(Math.max(total, done));
    } else if (total > 0 && done > total) {
      bar.maxHint(done);
    }
    bar.stepTo(done);
    bar.setExtraMessage(detail);
  }

  @Override
  public void indefinite(String key, String label) {
    barFor(key, label, -1);
  }

  @Override
  public void settle(String key) {
    if (key.equals(activeKey)) {
      if (active.isIndefinite()) {
        active.maxHint(1);
        active.stepTo(1);
      }
      closeActive();
    }
  }

  @Override
  protected void reverseEngineering(String trigger, int done, int total, TriggerProgress step) {
    if (step != null) {
      reverseDetail = String.format(Locale.ROOT, "candidates, step %d/%d", step.getStep(), step.getMaxSteps());
    }
    bar("reverse-" + trigger, "reversing (" + trigger + ")", done, total, reverseDetail);
  }

  @Override
  public void finish() {
    closeActive();
  }

  private ProgressBar barFor(String key, String label, long total) {
    if (!key.equals(activeKey)) {
      closeActive();
      active = new ProgressBarBuilder()
          .setTaskName(label)
          .setInitialMax(total > 0 ? total : -1)
          .setStyle(ProgressBarStyle.UNICODE_BLOCK)
          .setUpdateIntervalMillis(REDRAW_MILLIS)
          .continuousUpdate()
          .setMaxRenderedLength(width)
          .setConsumer(new LineConsumer())
          .build();
      activeKey = key;
      if (key.startsWith("reverse-")) {
        reverseDetail = "";
      }
    }
    return active;
  }

  private void closeActive() {
    if (active != null) {
      active.close(); // draws the final state, then LineConsumer.close ends its line
      active = null;
      activeKey = null;
    }
  }

  private void clearLine() {
    if (drawn > 0) {
      err.print("\r" + " ".repeat(drawn) + "\r");
      drawn = 0;
    }
  }

  /** Draws a bar over the current line of the command's stderr. */
  private final class LineConsumer implements ProgressBarConsumer {
    @Override
    public int getMaxRenderedLength() {
      return width;
    }

    @Override
    public void accept(String rendered) {
      synchronized (lock) {
        err.print("\r" + rendered + " ".repeat(Math.max(0, drawn - rendered.length())));
        err.flush();
        drawn = rendered.length();
      }
    }

    @Override
    public void clear() {
      synchronized (lock) {
        clearLine();
      }
    }

    @Override
    public void close() {
      synchronized (lock) {
        if (drawn > 0) {
          err.println();
          err.flush();
          drawn = 0;
        }
      }
    }
  }
}
