package dev.vouch.watch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.ToDoubleFunction;

/**
 * Finds where the last findtime of a log begins, as fail2ban's {@code seekToTime} does: a binary
 * search on byte offsets for the first line dated at or after a time, so that a daemon starting
 * on a large log reads only what can still count.
 */
final class TimeSeek {
  private static final int WINDOW = 8192;

  private TimeSeek() {}

  /**
   * The offset of the first line dated at or after {@code target} (epoch seconds); the end of the
   * file when none is; lines without a date are skipped over.
   */
  static long firstAtOrAfter(FileChannel channel, double target, ToDoubleFunction<String> lineTime)
      throws IOException {
    long size = channel.size();
    long low = 0;
    long high = size;
    while (high - low > WINDOW) {
      long middle = lineStartAfter(channel, (low + high) / 2);
      Dated dated = nextDated(channel, middle, high, lineTime);
      if (dated == null) {
        high = middle;
      } else if (dated.time < target) {
        low = dated.end;
      } else {
        high = middle;
      }
    }
    long offset = low == 0 ? 0 : lineStartAfter(channel, low - 1);
    while (offset < size) {
      Dated dated = nextDated(channel, offset, size, lineTime);
      if (dated == null) {
        return size;
      }
      if (dated.time >= target) {
        return dated.start;
      }
      offset = dated.end;
    }
    return size;
  }

  private record Dated(long start, long end, double time) {}

  /** The next line in [from, limit) with a date, or null. */
  private static Dated nextDated(FileChannel channel, long from, long limit,
      ToDoubleFunction<String> lineTime) throws IOException {
    long offset = from;
    ByteBuffer buffer = ByteBuffer.allocate(WINDOW);
    while (offset < limit) {
      buffer.clear();
      int read = channel.read(buffer, offset);
      if (read <= 0) {
        return null;
      }
      byte[] bytes = buffer.array();
      int end = -1;
      for (int i = 0; i < read; i++) {
        if (bytes[i] == '\n') {
          end = i;
          break;
        }
      }
      if (end < 0) {
        if (read < WINDOW) {
          return null; // an unfinished last line
        }
        offset += read; // a line longer than the window: skip over it
        continue;
      }
      double time = lineTime.applyAsDouble(LineReader.decodeLenient(bytes, 0, end));
      if (!Double.isNaN(time)) {
        return new Dated(offset, offset + end + 1, time);
      }
      offset += end + 1;
    }
    return null;
  }

  /** The start of the first line that begins after {@code offset}. */
  private static long lineStartAfter(FileChannel channel, long offset) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(WINDOW);
    long position = offset;
    while (true) {
      buffer.clear();
      int read = channel.read(buffer, position);
      if (read <= 0) {
        return channel.size();
      }
      for (int i = 0; i < read; i++) {
        if (buffer.get(i) == '\n') {
          return position + i + 1;
        }
      }
      position += read;
    }
  }
}
