package dev.vouch.watch;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lines read from a log but not yet decoded, so that the thread that matches them decodes them
 * and the reader goes on reading: each line is decoded when it is read ({@link #get}; read each
 * once), UTF-8 with invalid bytes replaced as fail2ban does, and counted where it is not UTF-8.
 * A batch is filled line by line ({@link #add}), or made of a whole block of the log that the
 * first thread to read it also cuts into lines ({@link #block}). Filled on one thread, then read
 * on one thread at a time.
 */
public final class LineBatch extends AbstractList<String> implements RandomAccess {
  private final AtomicLong undecodable;
  private byte[] bytes;
  /** Line i is bytes[starts[i], ends[i]), without its {@code \n}. */
  private int[] starts;
  private int[] ends;
  private int used;
  private int size;
  /** For a block not cut yet: the longest line kept, and where longer ones are counted. */
  private int maxLine;
  private AtomicLong tooLong;

  /**
   * An empty batch; lines that are not UTF-8 are counted in {@code undecodable}. It starts small
   * and grows: a followed log hands over a line or two at a time.
   */
  public LineBatch(AtomicLong undecodable) {
    this.undecodable = undecodable;
    this.bytes = new byte[4096];
    this.starts = new int[32];
    this.ends = new int[32];
  }

  /**
   * The lines of {@code block}: each ends in {@code \n} but perhaps the last. They are cut when
   * the batch is first read, by the thread that reads it; a line longer than {@code maxLine}
   * bytes is skipped and counted in {@code tooLong}.
   */
  static LineBatch block(byte[] block, int maxLine, AtomicLong undecodable,
      AtomicLong tooLong) {
    LineBatch batch = new LineBatch(undecodable);
    batch.bytes = block;
    batch.used = block.length;
    batch.maxLine = maxLine;
    batch.tooLong = tooLong;
    return batch;
  }

  /** Adds the line {@code from[start, end)} (without its {@code \n}). */
  void add(byte[] from, int start, int end) {
    int length = end - start;
    if (used + length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + length));
    }
    System.arraycopy(from, start, bytes, used, length);
    line(used, used + length);
    used += length;
  }

  private void line(int start, int end) {
    if (size == ends.length) {
      starts = Arrays.copyOf(starts, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
    }
    starts[size] = start;
    ends[size++] = end;
  }

  /** Cuts a block into its lines, once. */
  private void cut() {
    AtomicLong counter = tooLong;
    if (counter == null) {
      return;
    }
    tooLong = null;
    int capacity = Math.max(32, used / 64);
    starts = new int[capacity];
    ends = new int[capacity];
    byte[] block = bytes;
    int from = 0;
    for (int i = 0; i < used; i++) {
      if (block[i] == '\n') {
        cutLine(from, i, counter);
        from = i + 1;
      }
    }
    if (from < used) {
      cutLine(from, used, counter); // the last line, without a newline
    }
  }

  private void cutLine(int from, int to, AtomicLong tooLong) {
    if (to - from > maxLine) {
      tooLong.incrementAndGet();
    } else {
      line(from, to);
    }
  }

  /** Line {@code index}, decoded (each call decodes again: read each line once). */
  @Override
  public String get(int index) {
    cut();
    Objects.checkIndex(index, size);
    return LineReader.decode(bytes, starts[index], ends[index], undecodable);
  }

  @Override
  public int size() {
    cut();
    return size;
  }
}
