package dev.vouch.watch;

import java.util.List;

/**
 * Receives what a log source read, on the source's thread: lines in order, then the position
 * that follows them. A sink may block (the engine pushes back when far behind).
 */
public interface LineSink {
  /** A line of a file; {@code time} is NaN (the line carries its date) for files. */
  record Line(String text, double time) {}

  void lines(String source, List<Line> lines, LogPosition position);

  /**
   * The source has handed over all it has for now and waits for more: a sink that works on
   * lines in the background finishes them now, so none waits for the next write.
   */
  default void caughtUp() {}

  /** The source has no more lines: a replay reached its end (or its reader stopped). */
  default void end() {}
}
