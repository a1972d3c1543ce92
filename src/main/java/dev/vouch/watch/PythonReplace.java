package dev.vouch.watch;

/**
 * UTF-8 decoding with Python's {@code errors='replace'}: each maximal invalid subpart (Unicode's
 * "U+FFFD substitution of maximal subparts") becomes one U+FFFD, as fail2ban decodes a journal
 * value that is not UTF-8. Java's decoder differs on encoded surrogates ({@code ED A0 80} is
 * one U+FFFD to Java and three to Python), so lines would not match fail2ban's.
 */
final class PythonReplace {
  private PythonReplace() {}

  /** The text of {@code bytes}, with U+FFFD for what is not UTF-8. */
  static String decode(byte[] bytes) {
    StringBuilder text = new StringBuilder(bytes.length);
    int i = 0;
    while (i < bytes.length) {
      int lead = bytes[i] & 0xff;
      if (lead < 0x80) {
        text.append((char) lead);
        i++;
        continue;
      }
      int need;
      int low = 0x80;
      int high = 0xbf;
      if (lead >= 0xc2 && lead <= 0xdf) {
        need = 1;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        need = 2;
        low = lead == 0xe0 ? 0xa0 : 0x80;
        high = lead == 0xed ? 0x9f : 0xbf;
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        need = 3;
        low = lead == 0xf0 ? 0x90 : 0x80;
        high = lead == 0xf4 ? 0x8f : 0xbf;
      } else {
        text.append('\uFFFD');
        i++;
        continue;
      }
      int codePoint = lead & (0x3f >> need);
      int length = 1;
      while (length <= need && i + length < bytes.length) {
        int next = bytes[i + length] & 0xff;
        if (next < low || next > high) {
          break;
        }
        codePoint = codePoint << 6 | next & 0x3f;
        low = 0x80;
        high = 0xbf;
        length++;
      }
      if (length == need + 1) {
        text.appendCodePoint(codePoint);
      } else {
        text.append('\uFFFD');
      }
      i += length;
    }
    return text.toString();
  }
}
