package dev.vouch.watch;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lines cut from a log but not yet decoded, so that the thread that matches them decodes them
 * and the reader goes on reading: each line is decoded when it is read ({@link #get}; read each
 * once), UTF-8 with invalid bytes replaced as fail2ban does, and counted where it is not UTF-8.
 * Filled on one thread, then read on one thread at a time.
 */
public final class LineBatch extends AbstractList<String> implements RandomAccess {
  private final AtomicLong undecodable;
  private byte[] bytes;
  private int[] ends;
  private int used;
  private int size;

  /**
   * An empty batch; lines that are not UTF-8 are counted in {@code undecodable}. It starts small
   * and grows: a followed log hands over a line or two at a time.
   */
  public LineBatch(AtomicLong undecodable) {
    this.undecodable = undecodable;
    this.bytes = new byte[4096];
    this.ends = new int[32];
  }

  /** Adds the line {@code from[start, end)} (without its {@code \n}). */
  void add(byte[] from, int start, int end) {
    int length = end - start;
    if (used + length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + length));
    }
    if (size == ends.length) {
      ends = Arrays.copyOf(ends, ends.length * 2);
    }
    System.arraycopy(from, start, bytes, used, length);
    used += length;
    ends[size++] = used;
  }

  /** Line {@code index}, decoded (each call decodes again: read each line once). */
  @Override
  public String get(int index) {
    Objects.checkIndex(index, size);
    return LineReader.decode(bytes, index == 0 ? 0 : ends[index - 1], ends[index], undecodable);
  }

  @Override
  public int size() {
    return size;
  }
}
