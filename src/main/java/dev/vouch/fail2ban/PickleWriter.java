package dev.vouch.fail2ban;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;

/**
 * Writes a request the way fail2ban reads it: a pickle (protocol 2, no memo) of a list, followed by
 * the END marker. fail2ban unpickles any protocol (reference §1.3), and protocol 2 keeps the writer
 * to a handful of opcodes: {@code 80 02 5d 28 (58 <u32le len> <utf8>)* 65 2e}.
 *
 * <p>Arguments are str (as the stock client sends them), and the few other forms fail2ban accepts
 * ({@code ['ping', 0.1]}, {@code ['set', jail, 'maxretry', 3]}, the nested lists of
 * {@code server-stream}): {@link String}, {@link Integer}, {@link Long}, {@link BigInteger},
 * {@link Double}, {@link Boolean}, null (None) and {@link List}.
 */
final class PickleWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  private PickleWriter() {}

  /**
   * The complete request frame for {@code command}.
   *
   * @throws Fail2banRequestException when an argument contains a frame marker
   */
  static byte[] request(List<?> command) {
    checkMarkers(command, command);
    PickleWriter writer = new PickleWriter();
    writer.out.write(0x80); // PROTO
    writer.out.write(2);
    writer.write(command);
    writer.out.write('.'); // STOP
    byte[] pickle = writer.out.toByteArray();
    // Defence in depth: the opcodes written here cannot form the marker around a string, but the
    // frame is only sound if the marker is nowhere inside the pickle.
    if (Frame.indexOfEnd(pickle) >= 0) {
      throw new Fail2banRequestException("cannot send '" + CommandText.of(command)
          + "' to fail2ban: its encoding contains the frame marker " + Frame.END_TEXT);
    }
    byte[] frame = new byte[pickle.length + Frame.END.length];
    System.arraycopy(pickle, 0, frame, 0, pickle.length);
    System.arraycopy(Frame.END, 0, frame, pickle.length, Frame.END.length);
    return frame;
  }

  private static void checkMarkers(List<?> command, List<?> list) {
    for (int i = 0; i < list.size(); i++) {
      Object value = list.get(i);
      if (value instanceof List<?> nested) {
        checkMarkers(command, nested);
      } else if (value instanceof String text
          && (text.contains(Frame.END_TEXT) || text.contains(Frame.CLOSE_TEXT))) {
        String marker = text.contains(Frame.END_TEXT) ? Frame.END_TEXT : Frame.CLOSE_TEXT;
        throw new Fail2banRequestException("cannot send '" + CommandText.of(command)
            + "' to fail2ban: an argument contains fail2ban's frame marker " + marker
            + ", which would cut the request short. Remove the marker from the value.");
      }
    }
  }

  private void write(Object value) {
    if (value == null) {
      out.write('N');
    } else if (value instanceof String text) {
      writeString(text);
    } else if (value instanceof Boolean bool) {
      out.write(bool ? 0x88 : 0x89); // NEWTRUE / NEWFALSE
    } else if (value instanceof Integer || value instanceof Long) {
      writeInt(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      writeBig(big);
    } else if (value instanceof Double number) {
      out.write('G'); // BINFLOAT, big-endian
      writeBigEndian(Double.doubleToRawLongBits(number));
    } else if (value instanceof List<?> list) {
      out.write(']'); // EMPTY_LIST
      if (!list.isEmpty()) {
        out.write('('); // MARK
        for (Object item : list) {
          write(item);
        }
        out.write('e'); // APPENDS
      }
    } else {
      throw new IllegalArgumentException(
          "fail2ban requests carry str, int, float, bool, None and lists, not "
              + value.getClass().getName());
    }
  }

  private void writeString(String text) {
    byte[] bytes = PythonUtf8.encode(text);
    out.write('X'); // BINUNICODE
    writeLittleEndian(bytes.length, 4);
    out.writeBytes(bytes);
  }

  private void writeInt(long value) {
    if (value >= 0 && value < 0x100) {
      out.write('K'); // BININT1
      out.write((int) value);
    } else if (value >= 0 && value < 0x10000) {
      out.write('M'); // BININT2
      writeLittleEndian(value, 2);
    } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
      out.write('J'); // BININT
      writeLittleEndian(value, 4);
    } else {
      writeBig(BigInteger.valueOf(value));
    }
  }

  private void writeBig(BigInteger value) {
    byte[] bigEndian = value.toByteArray(); // two's complement, minimal
    if (bigEndian.length > 255) {
      throw new IllegalArgumentException("integer too large for a fail2ban request: " + value);
    }
    out.write(0x8a); // LONG1
    out.write(bigEndian.length);
    for (int i = bigEndian.length - 1; i >= 0; i--) {
      out.write(bigEndian[i]);
    }
  }

  private void writeLittleEndian(long value, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }

  private void writeBigEndian(long value) {
    for (int i = 7; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }
}
