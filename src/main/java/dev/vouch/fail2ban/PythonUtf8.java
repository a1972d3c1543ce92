package dev.vouch.fail2ban;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * UTF-8 as Python's pickle writes str: with the {@code surrogatepass} error handler, so a lone
 * surrogate (Python's {@code surrogateescape} of an undecodable log byte) travels as its 3-byte
 * form instead of being replaced. Java's own UTF-8 codec would turn it into {@code ?} or U+FFFD,
 * and the text would no longer match what fail2ban holds.
 */
final class PythonUtf8 {
  private PythonUtf8() {}

  static byte[] encode(String text) {
    int length = text.length();
    int ascii = 0;
    while (ascii < length && text.charAt(ascii) < 0x80) {
      ascii++;
    }
    if (ascii == length) {
      return text.getBytes(StandardCharsets.ISO_8859_1);
    }
    byte[] out = new byte[ascii + (length - ascii) * 3];
    int n = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        out[n++] = (byte) c;
      } else if (c < 0x800) {
        out[n++] = (byte) (0xc0 | c >> 6);
        out[n++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c) && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        out[n++] = (byte) (0xf0 | cp >> 18);
        out[n++] = (byte) (0x80 | cp >> 12 & 0x3f);
        out[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
        out[n++] = (byte) (0x80 | cp & 0x3f);
      } else {
        // Any other BMP char, lone surrogates included (surrogatepass).
        out[n++] = (byte) (0xe0 | c >> 12);
        out[n++] = (byte) (0x80 | c >> 6 & 0x3f);
        out[n++] = (byte) (0x80 | c & 0x3f);
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * Decodes {@code data[from, from + length)} strictly: malformed UTF-8 is an error, as it is for
   * Python's unpickler.
   *
   * @throws IllegalArgumentException naming the offset of the bad byte
   */
  static String decode(byte[] data, int from, int length) {
    int end = from + length;
    int i = from;
    while (i < end && data[i] >= 0) {
      i++;
    }
    if (i == end) {
      return new String(data, from, length, StandardCharsets.ISO_8859_1);
    }
    StringBuilder text = new StringBuilder(length);
    text.append(new String(data, from, i - from, StandardCharsets.ISO_8859_1));
    while (i < end) {
      int b = data[i] & 0xff;
      if (b < 0x80) {
        text.append((char) b);
        i++;
        continue;
      }
      int extra;
      int cp;
      if (b >= 0xc2 && b <= 0xdf) {
        extra = 1;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        extra = 2;
        cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        extra = 3;
        cp = b & 0x07;
      } else {
        throw new IllegalArgumentException("invalid UTF-8 byte 0x" + Integer.toHexString(b)
            + " at offset " + i);
      }
      if (i + extra >= end) {
        throw new IllegalArgumentException("truncated UTF-8 sequence at offset " + i);
      }
      for (int k = 1; k <= extra; k++) {
        int next = data[i + k] & 0xff;
        if ((next & 0xc0) != 0x80) {
          throw new IllegalArgumentException(
            "invalid UTF-8 continuation byte at offset " + (i + k));
        }
        cp = cp << 6 | next & 0x3f;
      }
      int minimum = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
      if (cp < minimum || cp > 0x10ffff) {
        throw new IllegalArgumentException("overlong or out-of-range UTF-8 at offset " + i);
      }
      text.appendCodePoint(cp);
      i += extra + 1;
    }
    return text.toString();
  }
}
