package dev.vouch.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A duration in fail2ban's notation ({@code MyTime.str2seconds}): numbers of seconds, units
 * ({@code 10m}, {@code 1h 30m}, {@code 1d12h}, {@code 1.5d}, {@code 2w}, {@code 1mo},
 * {@code 1y}), sums and differences ({@code 1year-6mo}), and {@code -1} for "forever".
 *
 * <p>fail2ban rewrites the text into a Python expression and evaluates it; this reads the same
 * sums without evaluating anything. {@code m} is minutes, a month is {@code mo}: a twelfth of a
 * year of 365.25 days, so {@code 1mo} is 2629800 seconds.
 *
 * @param seconds the duration in seconds, fractional for months, years and decimals
 */
public record TimeValue(double seconds) {
  private static final double DAY = 24 * 60 * 60;
  private static final double YEAR = (365 * 3 + 366) * DAY / 4;

  /** Unit words, case-insensitive, as fail2ban's regexes accept them. */
  private static final Map<String, Double> UNITS = Map.ofEntries(
      Map.entry("s", 1.0), Map.entry("ss", 1.0), Map.entry("se", 1.0), Map.entry("sec", 1.0),
      Map.entry("second", 1.0), Map.entry("seconds", 1.0),
      Map.entry("m", 60.0), Map.entry("mm", 60.0), Map.entry("mi", 60.0),
      Map.entry("min", 60.0), Map.entry("minute", 60.0), Map.entry("minutes", 60.0),
      Map.entry("h", 3600.0), Map.entry("hh", 3600.0), Map.entry("ho", 3600.0),
      Map.entry("hou", 3600.0), Map.entry("hour", 3600.0), Map.entry("hours", 3600.0),
      Map.entry("d", DAY), Map.entry("dd", DAY), Map.entry("da", DAY), Map.entry("day", DAY),
      Map.entry("days", DAY),
      Map.entry("w", 7 * DAY), Map.entry("ww", 7 * DAY), Map.entry("we", 7 * DAY),
      Map.entry("wee", 7 * DAY), Map.entry("week", 7 * DAY), Map.entry("weeks", 7 * DAY),
      Map.entry("mo", YEAR / 12), Map.entry("mon", YEAR / 12), Map.entry("month", YEAR / 12),
      Map.entry("months", YEAR / 12),
      Map.entry("y", YEAR), Map.entry("yy", YEAR), Map.entry("ye", YEAR), Map.entry("yea", YEAR),
      Map.entry("year", YEAR), Map.entry("years", YEAR));

  /** fail2ban's "forever": a bantime of exactly -1. */
  public static final TimeValue PERMANENT = new TimeValue(-1);

  /**
   * Reads a duration.
   *
   * @throws ConfigException "expected a duration like 10m, 1h30m, 2d or -1. Found: ..."
   */
  public static TimeValue parse(String text) {
    Double seconds = new Reader(text).sum();
    if (seconds == null) {
      throw new ConfigException("expected a duration like 10m, 1h30m, 2d or -1. Found: " + text);
    }
    return new TimeValue(seconds);
  }

  /** True for exactly -1, which fail2ban reads as "never expires". */
  public boolean isPermanent() {
    return seconds == -1;
  }

  /** The duration to the nanosecond; -1 gives minus one second: see {@link #isPermanent}. */
  public Duration toDuration() {
    long whole = (long) seconds;
    return Duration.ofSeconds(whole, Math.round((seconds - whole) * 1e9));
  }

  /** A sum of signed terms, each a number with an optional unit. */
  private static final class Reader {
    private final String text;
    private int position;

    Reader(String text) {
      this.text = text.strip();
    }

    /** The total, or null when the text is not a duration. */
    Double sum() {
      double total = 0;
      boolean separated = true; // a term may follow: at the start, after a space, unit or sign
      while (true) {
        boolean spaced = skipSpaces();
        if (position == text.length()) {
          return position == 0 ? null : total;
        }
        double sign = 1;
        char next = text.charAt(position);
        if (next == '+' || next == '-') {
          sign = next == '-' ? -1 : 1;
          position++;
          skipSpaces();
        } else if (!separated && !spaced) {
          return null;
        }
        Double term = term();
        if (term == null) {
          return null;
        }
        total += sign * term;
        separated = position > 0 && Character.isLetter(text.charAt(position - 1));
      }
    }

    private Double term() {
      int start = position;
      while (position < text.length()
          && (isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
        position++;
      }
      String number = text.substring(start, position);
      if (!number.matches("\\d+(\\.\\d*)?|\\.\\d+")) {
        return null;
      }
      double value = Double.parseDouble(number);
      int beforeUnit = position;
      skipSpaces();
      int unitStart = position;
      while (position < text.length() && isAsciiLetter(text.charAt(position))) {
        position++;
      }
      if (unitStart == position) {
        position = beforeUnit;
        return value;
      }
      Double unit = UNITS.get(text.substring(unitStart, position).toLowerCase(Locale.ROOT));
      return unit == null ? null : value * unit;
    }

    private boolean skipSpaces() {
      int start = position;
      while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
        position++;
      }
      return position > start;
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
  }
}
