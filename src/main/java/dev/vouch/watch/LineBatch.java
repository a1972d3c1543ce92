package dev.vouch.watch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long ONES = 0x0101010101010101L;
  private static final long TOP_BITS = 0x8080808080808080L;

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
  /** True once a cut block is found to be all ASCII: its lines then need no UTF-8 decoding. */
  private boolean ascii;

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
    long high = 0; // the top bit of any byte over ASCII
    int i = 0;
    // Eight bytes at a time: a byte of (x - 0x01...) & ~x & 0x80... is set where x's byte is
    // zero, that is where the word's byte is a newline. A borrow may set one above a real zero as
    // well (a \v after a \n), so each is checked.
    for (int end = used - Long.BYTES; i <= end; i += Long.BYTES) {
      long word = (long) LONGS.get(block, i);
      high |= word;
      long x = word ^ NEWLINES;
      for (long found = (x - ONES) & ~x & TOP_BITS; found != 0; found &= found - 1) {
        int at = i + (Long.numberOfTrailingZeros(found) >>> 3);
        if (block[at] == '\n') {
          cutLine(from, at, counter);
          from = at + 1;
        }
      }
    }
    for (; i < used; i++) {
      byte b = block[i];
      high |= b;
      if (b == '\n') {
        cutLine(from, i, counter);
        from = i + 1;
      }
    }
    if (from < used) {
      cutLine(from, used, counter); // the last line, without a newline
    }
    ascii = (high & TOP_BITS) == 0;
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
    return ascii ? LineReader.decodeAscii(bytes, starts[index], ends[index])
        : LineReader.decode(bytes, starts[index], ends[index], undecodable);
  }

  @Override
  public int size() {
    cut();
    return size;
  }
}
