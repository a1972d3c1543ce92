package dev.vouch.fail2ban;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The bytes of one pickle, read opcode by opcode. Every operand length is checked against what
 * remains before anything is allocated, and every error names the offset of the opcode that
 * failed, so a truncated or hostile reply costs no more memory than its own size.
 */
final class PickleInput {
  private final byte[] data;
  private final int start;
  private final int end;
  private int pos;
  private int opcodeAt;

  PickleInput(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length);
    }
    this.data = data;
    this.start = offset;
    this.end = offset + length;
    this.pos = offset;
  }

  /** The next opcode; remembers where it starts, for error messages. */
  int opcode() {
    if (pos >= end) {
      opcodeAt = pos;
      throw error("the pickle ends before its STOP opcode (truncated?)");
    }
    opcodeAt = pos;
    return data[pos++] & 0xff;
  }

  int u8() {
    need(1, "an operand");
    return data[pos++] & 0xff;
  }

  /** An unsigned little-endian integer of {@code width} bytes (up to 8; 8 may read negative). */
  long littleEndian(int width) {
    need(width, "an operand");
    long value = 0;
    for (int i = 0; i < width; i++) {
      value |= (long) (data[pos++] & 0xff) << (8 * i);
    }
    return value;
  }

  /** A 64-bit length; one beyond 2^63 reads as negative, which {@link #need} refuses. */
  long u64() {
    return littleEndian(8);
  }

  /** A signed 32-bit length (LONG4), refused when negative. */
  int signedLength() {
    int length = (int) littleEndian(4);
    if (length < 0) {
      throw error("negative length " + length);
    }
    return length;
  }

  double bigEndianDouble() {
    need(8, "BINFLOAT");
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = bits << 8 | (data[pos++] & 0xff);
    }
    return Double.longBitsToDouble(bits);
  }

  /** A little-endian two's complement integer (LONG1, LONG4): a Long when it fits. */
  Object integer(long length) {
    need(length, "LONG");
    if (length == 0) {
      return 0L;
    }
    byte[] bigEndian = new byte[(int) length];
    for (int i = 0; i < length; i++) {
      bigEndian[(int) length - 1 - i] = data[pos + i];
    }
    pos += (int) length;
    BigInteger value = new BigInteger(bigEndian);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  /** A str of {@code length} bytes, UTF-8 with Python's surrogatepass. */
  String text(long length) {
    need(length, "a str");
    try {
      String text = PythonUtf8.decode(data, pos, (int) length);
      pos += (int) length;
      return text;
    } catch (IllegalArgumentException e) {
      throw error("a str is not valid UTF-8: " + e.getMessage());
    }
  }

  byte[] bytes(long length) {
    need(length, "a bytes object");
    byte[] bytes = Arrays.copyOfRange(data, pos, pos + (int) length);
    pos += (int) length;
    return bytes;
  }

  /** A newline-terminated operand of the text opcodes (GLOBAL). */
  String line() {
    int newline = pos;
    while (newline < end && data[newline] != '\n') {
      newline++;
    }
    if (newline == end) {
      throw error("GLOBAL operand has no end of line (truncated?)");
    }
    String text = text(newline - pos);
    pos++;
    return text;
  }

  /** Checks that {@code count} more bytes are there; FRAME uses it alone. */
  void need(long count, String what) {
    if (count < 0 || count > end - pos) {
      throw error(what + " declares " + Long.toUnsignedString(count) + " bytes but only "
          + (end - pos) + " remain (truncated?)");
    }
  }

  /** An error at the current opcode. */
  Fail2banProtocolException error(String what) {
    return new Fail2banProtocolException(
        what + " at byte " + (opcodeAt - start) + " of " + (end - start));
  }
}
