package io.livemux.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar redrawn in place on a terminal ({@code \r}), at most ten times a second;
 * silent when the output is not a terminal, so logs and pipes get only the final summary. One
 * thread.
 */
final class Progress {
  private static final int WIDTH = 30;
  private static final long INTERVAL_NS = 100_000_000;

  private final PrintWriter out;
  private final boolean enabled;
  private final String label;
  private final long startNs = System.nanoTime();
  private long lastDrawNs;
  private int lastPercent = -1;
  private boolean drawn;

  Progress(PrintWriter out, boolean terminal, String label) {
    this.out = out;
    this.enabled = terminal;
    this.label = label;
  }

  /** True when the process's standard streams are an interactive terminal. */
  static boolean isTerminal() {
    return System.console() != null;
  }

  /** Shows {@code fraction} (0..1) done, if on a terminal and a redraw is due. */
  void update(double fraction) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    int percent = (int) Math.min(100, Math.max(0, Math.floor(fraction * 100)));
    if (percent == lastPercent || now - lastDrawNs < INTERVAL_NS) {
      return;
    }
    lastDrawNs = now;
    lastPercent = percent;
    int filled = percent * WIDTH / 100;
    StringBuilder bar = new StringBuilder(WIDTH + 40).append('\r').append(label).append(" [");
    for (int i = 0; i < WIDTH; i++) {
      bar.append(i < filled ? '#' : '.');
    }
    bar.append("] ").append(percent).append("%  ")
        .append(Formats.decimal((now - startNs) / 1e9, 1)).append(" s");
    out.print(bar);
    out.flush();
    drawn = true;
  }

  /** Clears the bar so the summary line starts at column 0. */
  void done() {
    if (drawn) {
      StringBuilder blank = new StringBuilder("\r");
      for (int i = 0; i < label.length() + WIDTH + 20; i++) {
        blank.append(' ');
      }
      out.print(blank.append('\r'));
      out.flush();
      drawn = false;
    }
  }
}
