package dev.vouch.watch;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Splits a byte stream into lines: {@code \n} ends a line, a {@code \r} before it is dropped,
 * text is UTF-8 with invalid bytes replaced (as fail2ban decodes logs), and a line longer than
 * the limit is skipped and counted rather than held in memory. Confined to one thread.
 */
public final class LineReader implements Closeable {
  /** Lines longer than this many bytes are skipped by default. */
  public static final int DEFAULT_MAX_LINE = 64 * 1024;

  private final InputStream in;
  private final int maxLine;
  private byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;
  private boolean eof;
  private long offset;
  /** The bounds of the line {@link #nextLine()} found, in {@link #buffer}. */
  private int lineFrom;
  private int lineTo;
  private long tooLong;
  /** Counted where a block is cut into lines: on the thread that reads a {@link LineBatch}. */
  private final AtomicLong tooLongInBlocks = new AtomicLong();
  /** Counted where a line is decoded: here, or on the thread that decodes a {@link LineBatch}. */
  private final AtomicLong undecodable = new AtomicLong();

  public LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLine = maxLineBytes;
  }

  /** The next line without its terminator, or null at the end of the stream. */
  public String next() throws IOException {
    return nextLine() ? decode(lineFrom, lineTo) : null;
  }

  /**
   * The next whole lines, about {@code bytes} of them (more where one line is longer), neither
   * cut nor decoded: the thread that reads the batch does both ({@link LineBatch}), so that this
   * one only reads. Null at the end of the stream.
   */
  public LineBatch nextBlock(int bytes) throws IOException {
    int wanted = bytes;
    while (true) {
      while (!eof && end - start < wanted) {
        fill();
      }
      if (start == end) {
        return null;
      }
      int to = end;
      while (to > start && buffer[to - 1] != '\n') {
        to--;
      }
      if (to == start && !eof) {
        // No line ends in what was read: one longer than the block.
        if (end - start > maxLine) {
          skipRestOfLine();
          continue;
        }
        wanted = end - start + 1; // read on to the end of that line
        continue;
      }
      if (to == start) {
        to = end; // the last line, without a newline
      }
      LineBatch batch = LineBatch.block(Arrays.copyOfRange(buffer, start, to), maxLine,
          undecodable, tooLongInBlocks);
      offset += to - start;
      start = to;
      return batch;
    }
  }

  /** Finds the next line that is not too long: true with its bounds set, false at the end. */
  private boolean nextLine() throws IOException {
    int scanned = start;
    while (true) {
      int newline = -1;
      for (int i = scanned; i < end; i++) {
        if (buffer[i] == '\n') {
          newline = i;
          break;
        }
      }
      if (newline >= 0) {
        int from = start;
        offset += newline + 1 - from;
        start = newline + 1;
        if (newline - from > maxLine) {
          tooLong++;
          scanned = start;
          continue;
        }
        lineFrom = from;
        lineTo = newline;
        return true;
      }
      if (end - start > maxLine) {
        skipRestOfLine();
        scanned = start;
        continue;
      }
      if (eof) {
        if (start == end) {
          return false;
        }
        lineFrom = start;
        lineTo = end;
        offset += end - start;
        start = end;
        return true;
      }
      scanned = end - start;
      fill();
    }
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int read = in.read(buffer, end, buffer.length - end);
    if (read < 0) {
      eof = true;
    } else {
      end += read;
    }
  }

  /** Drops bytes up to and including the next newline, counting one over-long line. */
  private void skipRestOfLine() throws IOException {
    tooLong++;
    while (true) {
      for (int i = start; i < end; i++) {
        if (buffer[i] == '\n') {
          offset += i + 1 - start;
          start = i + 1;
          return;
        }
      }
      offset += end - start;
      start = end;
      if (eof) {
        return;
      }
      fill();
    }
  }

  private String decode(int from, int to) {
    return decode(buffer, from, to, undecodable);
  }

  /** Decodes a line leniently, counting it in {@code undecodable} when it is not UTF-8. */
  static String decode(byte[] bytes, int from, int to, AtomicLong undecodable) {
    String line = decode(bytes, from, to);
    if (line == null) {
      undecodable.incrementAndGet();
      return replacing(bytes, from, to);
    }
    return line;
  }

  /** The end of a line's text: a {@code \r} before the newline is not part of it. */
  private static int lineEnd(byte[] bytes, int from, int to) {
    return to > from && bytes[to - 1] == '\r' ? to - 1 : to;
  }

  /**
   * Decodes {@code bytes[from, to)} as a line (a trailing {@code \r} dropped), or null when it is
   * not valid UTF-8 (the caller then decodes with replacement characters and counts it). The JDK's
   * decoder, fast on ASCII, replaces what is not UTF-8 with U+FFFD; only a line that then holds
   * one is decoded again, strictly, to tell a bad byte from a U+FFFD that was written.
   */
  static String decode(byte[] bytes, int from, int to) {
    to = lineEnd(bytes, from, to);
    String line = new String(bytes, from, to - from, StandardCharsets.UTF_8);
    if (line.indexOf('\uFFFD') < 0) {
      return line;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * {@link #decode(byte[], int, int)} of a line known to be ASCII, which is its own UTF-8: the
   * bytes are the characters, with nothing to check (a block's cut has looked at every byte).
   */
  static String decodeAscii(byte[] bytes, int from, int to) {
    return new String(bytes, from, lineEnd(bytes, from, to) - from, StandardCharsets.ISO_8859_1);
  }

  /** Like {@link #decode(byte[], int, int)} but never null: bad bytes become U+FFFD. */
  static String decodeLenient(byte[] bytes, int from, int to) {
    String line = decode(bytes, from, to);
    return line != null ? line : replacing(bytes, from, to);
  }

  /** A line that is not UTF-8, decoded as fail2ban does (Python's {@code errors='replace'}). */
  private static String replacing(byte[] bytes, int from, int to) {
    return PythonReplace.decode(Arrays.copyOfRange(bytes, from, lineEnd(bytes, from, to)));
  }

  /** Bytes consumed up to the end of the last line returned. */
  public long offset() {
    return offset;
  }

  /** Lines skipped because they were longer than the limit. */
  public long tooLong() {
    return tooLong + tooLongInBlocks.get();
  }

  /** Lines that were not valid UTF-8 (returned with U+FFFD in place of the bad bytes). */
  public long undecodable() {
    return undecodable.get();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
