package dev.vouch.fail2ban;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte strings for tests: hex with any whitespace, and a small builder for hand-made pickles. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    String digits = hex.replaceAll("\\s+", "");
    byte[] bytes = new byte[digits.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }

  static String of(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(String.format("%02x", b & 0xff));
    }
    return text.toString();
  }

  /** Appends opcodes and operands. */
  static final class Builder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Builder hex(String hex) {
      out.writeBytes(bytes(hex));
      return this;
    }

    Builder op(int opcode) {
      out.write(opcode);
      return this;
    }

    Builder u32(long value) {
      for (int i = 0; i < 4; i++) {
        out.write((int) (value >>> (8 * i)) & 0xff);
      }
      return this;
    }

    Builder u64(long value) {
      u32(value);
      return u32(value >>> 32);
    }

    /** SHORT_BINUNICODE. */
    Builder shortText(String text) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      out.write(0x8c);
      out.write(utf8.length);
      out.writeBytes(utf8);
      return this;
    }

    /** BINUNICODE. */
    Builder text(String text) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      out.write('X');
      u32(utf8.length);
      out.writeBytes(utf8);
      return this;
    }

    Builder ascii(String text) {
      out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    byte[] build() {
      return out.toByteArray();
    }
  }
}
