package dev.vouch.filter;

import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code %} directives of a datepattern: what regex each one expands to and what it is called
 * in a template's name, as fail2ban's {@code strptime.py} sets up Python's {@code TimeRE} (C
 * locale, with fail2ban's overrides and its {@code %k %l %Ex…} additions).
 *
 * <p>Only {@code %ExY} depends on anything: the years it accepts are fixed when the filter is
 * built, from the current year. Immutable and thread-safe.
 */
final class DateDirectives {
  /** A datepattern with its directives replaced: the template's name and its regex. */
  record Expanded(String name, String regex) {}

  // Multi-character directives first, in the order of fail2ban's getTimePatternRE alternation.
  private static final List<String> LONG_KEYS = List.of(
      "ExZ", "Exz", "Exd", "Exm", "ExH", "Exk", "Exl", "ExM", "ExS", "ExY", "Exy");
  private static final String TZ_ABBR = "[A-Z](?:[A-Z]{2,4})?";

  /** Regexes of every directive but %ExY, as Python 3.11's TimeRE holds them after strptime.py. */
  private static final Map<String, String> REGEX = Map.ofEntries(
      Map.entry("a", "(?P<a>mon|tue|wed|thu|fri|sat|sun)"),
      Map.entry("A", "(?P<A>wednesday|thursday|saturday|tuesday|monday|friday|sunday)"),
      Map.entry("b", "(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"),
      Map.entry("B", "(?P<B>september|february|november|december|january|october|august|march"
          + "|april|june|july|may)"),
      Map.entry("c", "(?P<a>mon|tue|wed|thu|fri|sat|sun)\\s+"
          + "(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\\s+"
          + "(?P<d>3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9])\\s+"
          + "(?P<H>2[0-3]|[0-1]\\d|\\d):(?P<M>[0-5]\\d|\\d):(?P<S>6[0-1]|[0-5]\\d|\\d)\\s+"
          + "(?P<Y>\\d\\d\\d\\d)"),
      Map.entry("d", "(?P<d>[1-2]\\d|[0 ]?[1-9]|3[0-1])"),
      Map.entry("f", "(?P<f>[0-9]{1,6})"),
      Map.entry("G", "(?P<G>\\d\\d\\d\\d)"),
      Map.entry("H", "(?P<H>[0-1]?\\d|2[0-3])"),
      Map.entry("I", "(?P<I>1[0-2]|0[1-9]|[1-9])"),
      Map.entry("j",
          "(?P<j>36[0-6]|3[0-5]\\d|[1-2]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])"),
      Map.entry("k", " ?(?P<H>[0-2]?\\d)"),
      Map.entry("l", " ?(?P<I>1?\\d)"),
      Map.entry("m", "(?P<m>0?[1-9]|1[0-2])"),
      Map.entry("M", "(?P<M>[0-5]?\\d)"),
      Map.entry("p", "(?P<p>am|pm)"),
      Map.entry("S", "(?P<S>[0-5]?\\d|6[0-1])"),
      Map.entry("u", "(?P<u>[1-7])"),
      Map.entry("U", "(?P<U>5[0-3]|[0-4]\\d|\\d)"),
      Map.entry("V", "(?P<V>5[0-3]|0[1-9]|[1-4]\\d|\\d)"),
      Map.entry("w", "(?P<w>[0-6])"),
      Map.entry("W", "(?P<W>5[0-3]|[0-4]\\d|\\d)"),
      Map.entry("x", "(?P<m>1[0-2]|0[1-9]|[1-9])/(?P<d>3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9])"
          + "/(?P<y>\\d\\d)"),
      Map.entry("X", "(?P<H>2[0-3]|[0-1]\\d|\\d):(?P<M>[0-5]\\d|\\d):(?P<S>6[0-1]|[0-5]\\d|\\d)"),
      Map.entry("y", "(?P<y>\\d\\d)"),
      Map.entry("Y", "(?P<Y>\\d{4})"),
      // fail2ban: %z only knows Z, UTC, GMT and numeric offsets; %Z any 3-5 capitals.
      Map.entry("z", "(?P<z>Z|UTC|GMT|[+-][01]\\d(?::?\\d{2})?)"),
      Map.entry("Z", "(?P<Z>Z|[A-Z]{3,5})"),
      Map.entry("%", "%"),
      Map.entry("ExZ", "(?P<Z>" + TZ_ABBR + ")"),
      Map.entry("Exz", "(?P<z>(?:" + TZ_ABBR + ")?[+-][01]\\d(?::?\\d{2})?|" + TZ_ABBR + ")"),
      Map.entry("Exd", "(?P<d>[1-2]\\d|0[1-9]|3[0-1])"),
      Map.entry("Exm", "(?P<m>0[1-9]|1[0-2])"),
      Map.entry("ExH", "(?P<H>[0-1]\\d|2[0-3])"),
      Map.entry("Exk", " ?(?P<H>[0-1]?\\d|2[0-3])"),
      Map.entry("Exl", " ?(?P<I>1[0-2]|\\d)"),
      Map.entry("ExM", "(?P<M>[0-5]\\d)"),
      Map.entry("ExS", "(?P<S>[0-5]\\d|6[0-1])"),
      Map.entry("Exy", "(?P<y>\\d{2})"));

  /** Names of directives in template names (getTimePatternRE); others are called "%X". */
  private static final Map<String, String> NAME = Map.ofEntries(
      Map.entry("a", "DAY"), Map.entry("A", "DAYNAME"), Map.entry("b", "MON"),
      Map.entry("B", "MONTH"), Map.entry("d", "Day"), Map.entry("H", "24hour"),
      Map.entry("I", "12hour"), Map.entry("j", "Yearday"), Map.entry("m", "Month"),
      Map.entry("M", "Minute"), Map.entry("p", "AMPM"), Map.entry("S", "Second"),
      Map.entry("U", "Yearweek"), Map.entry("w", "Weekday"), Map.entry("W", "Yearweek"),
      Map.entry("y", "Year2"), Map.entry("Y", "Year"), Map.entry("%", "%"),
      Map.entry("z", "Zone offset"), Map.entry("f", "Microseconds"), Map.entry("Z", "Zone name"));

  private final String yearRegex;

  private DateDirectives(String yearRegex) {
    this.yearRegex = yearRegex;
  }

  /**
   * The directives as fail2ban sets them up when it starts in {@code year}: {@code %ExY} then
   * accepts the 20xx years from 2000 up to the decade of {@code year + 3}.
   */
  static DateDirectives startingIn(Year year) {
    return new DateDirectives("(?P<Y>" + centuryRegex(year.getValue()) + "\\d)");
  }

  /** The regex of {@code %ExY}. */
  String yearRegex() {
    return yearRegex;
  }

  /**
   * Replaces the directives of {@code pattern} by their regexes and names, as DatePatternRegex
   * does with Python's {@code %} formatting. {@code source} is the datepattern line, for errors.
   *
   * @throws DatePatternException on a {@code %} that is not a directive: Python's formatting would
   *     reject it or (for {@code %s}, {@code %r} and the like) paste the whole directive table into
   *     the regex, which then fails on every line
   */
  Expanded expand(String pattern, String source) {
    StringBuilder name = new StringBuilder(pattern.length() + 32);
    StringBuilder regex = new StringBuilder(pattern.length() * 4 + 32);
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c != '%') {
        name.append(c);
        regex.append(c);
        i++;
        continue;
      }
      String key = directiveAt(pattern, i + 1);
      if (key == null) {
        throw new DatePatternException(source, unknownDirective(pattern, i));
      }
      name.append(name(key));
      regex.append(key.equals("ExY") ? yearRegex : REGEX.get(key));
      i += 1 + key.length();
    }
    return new Expanded(name.toString(), regex.toString());
  }

  private static String directiveAt(String pattern, int at) {
    for (String key : LONG_KEYS) {
      if (pattern.startsWith(key, at)) {
        return key;
      }
    }
    if (at < pattern.length()) {
      String key = String.valueOf(pattern.charAt(at));
      if (REGEX.containsKey(key)) {
        return key;
      }
    }
    return null;
  }

  private static String unknownDirective(String pattern, int at) {
    if (at + 1 >= pattern.length()) {
      return "a lone '%' at its end; write %% for a literal percent sign";
    }
    char c = pattern.charAt(at + 1);
    String advice = c == 's'
        ? " (fail2ban 1.0.2 has no %s; write EPOCH for seconds since the epoch)"
        : "; write %% for a literal percent sign";
    return "'%" + c + "' is not a date directive fail2ban knows" + advice;
  }

  /**
   * A directive's name. fail2ban derives "Ex" names from the base name when it has one (ExYear,
   * ExMonth ...), else calls the directive "%X" (%k, %G ...). %Exk and %Exl come out as "Ex%k"
   * or "%Exk" depending on Python's string hash seed (the order of a set); this takes the latter.
   */
  private static String name(String key) {
    String known = NAME.get(key);
    if (known != null) {
      return known;
    }
    if (key.startsWith("Ex") && NAME.containsKey(key.substring(2))) {
      return "Ex" + NAME.get(key.substring(2));
    }
    return "%" + key;
  }

  /**
   * fail2ban's {@code _getYearCentRE}: the three-digit prefixes of the years from the year before
   * now to three years ahead, plus every third year from 2000 on (its "alternate now" of 2001 for
   * test runs), grouped into a compact regex such as {@code 20[012]}.
   */
  static String centuryRegex(int year) {
    TreeSet<String> prefixes = new TreeSet<>();
    prefixes.add(century(year - 1));
    prefixes.add(century(year + 3));
    for (int offset = -1; offset < year - 2001 + 1; offset += 3) {
      prefixes.add(century(2001 + offset));
    }
    return group(new ArrayList<>(prefixes));
  }

  private static String century(int year) {
    String digits = Integer.toString(year);
    return digits.substring(0, Math.min(3, digits.length()));
  }

  private static String group(List<String> items) {
    if (items.size() > 1) {
      String common = commonStem(items);
      if (common == null) {
        common = commonFirst(items);
      } else if (common.isEmpty()) {
        common = null; // fail2ban's second loop starts from "" and gives up at once
      }
      if (common != null && !common.isEmpty()) {
        List<String> rest = new ArrayList<>(items.size());
        for (String item : items) {
          rest.add(item.substring(common.length()));
        }
        return common + group(rest);
      }
      return items.get(0).length() > 1
          ? "(?:" + String.join("|", items) + ")"
          : "[" + String.join("", items) + "]";
    }
    return String.join("", items);
  }

  /** All items but their last character, when that is the same for all; else null. */
  private static String commonStem(List<String> items) {
    String stem = null;
    for (String item : items) {
      String head = item.isEmpty() ? "" : item.substring(0, item.length() - 1);
      if (stem == null || head.equals(stem)) {
        stem = head;
      } else {
        return null;
      }
    }
    return stem;
  }

  /** The first character shared by all items, else null. */
  private static String commonFirst(List<String> items) {
    String first = null;
    for (String item : items) {
      String head = item.isEmpty() ? "" : item.substring(0, 1);
      if (first == null || head.equals(first)) {
        first = head;
      } else {
        return null;
      }
    }
    return first;
  }
}
