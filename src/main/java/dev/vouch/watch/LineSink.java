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
   * Lines of a file, not yet decoded ({@link LineBatch}): a sink that matches them on other
   * threads hands the batch on as it is, so that the reader does not decode them. By default,
   * decoded here and passed to {@link #lines}.
   */
  default void fileLines(String source, LineBatch lines, LogPosition position) {
    List<Line> decoded = new java.util.ArrayList<>(lines.size());
    for (String line : lines) {
      decoded.add(new Line(line, Double.NaN));
    }
    lines(source, decoded, position);
  }

  /**
   * The source has handed over all it has for now and waits for more: a sink that works on
   * lines in the background finishes them now, so none waits for the next write.
   */
  default void caughtUp() {}

  /** The source has no more lines: a replay reached its end (or its reader stopped). */
  default void end() {}
}
