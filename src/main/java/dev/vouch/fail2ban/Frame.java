package dev.vouch.fail2ban;

import java.nio.charset.StandardCharsets;

/**
 * fail2ban's framing ({@code fail2ban/protocol.py} {@code CSPROTO}): no length prefix, each pickle
 * is followed by {@code <F2B_END_COMMAND>}; {@code <F2B_CLOSE_COMMAND>} alone in a frame asks the
 * server to close the connection.
 */
final class Frame {
  static final String END_TEXT = "<F2B_END_COMMAND>";
  static final String CLOSE_TEXT = "<F2B_CLOSE_COMMAND>";
  static final byte[] END = END_TEXT.getBytes(StandardCharsets.US_ASCII);
  /** The frame that closes a connection politely: CLOSE then END. */
  static final byte[] CLOSE = (CLOSE_TEXT + END_TEXT).getBytes(StandardCharsets.US_ASCII);

  private Frame() {}

  /** True when {@code data[0, length)} ends with the END marker. */
  static boolean endsWithEnd(byte[] data, int length) {
    if (length < END.length) {
      return false;
    }
    for (int i = 0; i < END.length; i++) {
      if (data[length - END.length + i] != END[i]) {
        return false;
      }
    }
    return true;
  }

  /** The first index of the END marker in {@code data}, or -1. */
  static int indexOfEnd(byte[] data) {
    outer:
    for (int i = 0; i + END.length <= data.length; i++) {
      for (int j = 0; j < END.length; j++) {
        if (data[i + j] != END[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
