package dev.vouch.filter;

/**
 * A log line split around its date, as fail2ban keeps it: the regexes see {@code before + after}
 * (the line with its date cut out), the matched lines keep all three parts.
 */
record LineTuple(String before, String date, String after) {
  static LineTuple undated(String line) {
    return new LineTuple("", "", line);
  }

  /** The text the regexes see. */
  String withoutDate() {
    return after.isEmpty() ? before : before.isEmpty() ? after : before + after;
  }

  /** The whole line. */
  String line() {
    return before + date + after;
  }
}
