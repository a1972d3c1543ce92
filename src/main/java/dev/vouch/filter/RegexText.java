package dev.vouch.filter;

/**
 * The text fail2ban's regexes search: the rest of a line from a position, and the newline
 * fail2ban appends, as a view rather than a new string per line. Immutable.
 */
final class RegexText implements CharSequence {
  private final String line;
  private final int from;
  private final int length;

  private RegexText(String line, int from) {
    this.line = line;
    this.from = from;
    this.length = line.length() - from + 1;
  }

  /** {@code line.substring(from) + "\n"}, without the copy. */
  static RegexText of(String line, int from) {
    return new RegexText(line, from);
  }

  /** Copies the text into {@code into} (at least {@link #length()} long). */
  void getChars(char[] into) {
    line.getChars(from, line.length(), into, 0);
    into[length - 1] = '\n';
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException(index);
    }
    return index == length - 1 ? '\n' : line.charAt(from + index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    if (start < 0 || end > length || start > end) {
      throw new IndexOutOfBoundsException("[" + start + ", " + end + ") of " + length);
    }
    return end < length ? line.substring(from + start, from + end)
        : line.substring(from + start) + "\n";
  }

  @Override
  public String toString() {
    return line.substring(from) + "\n";
  }
}
