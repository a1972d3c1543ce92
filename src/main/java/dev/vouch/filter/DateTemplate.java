package dev.vouch.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One date template: a regex (Python dialect) whose group 1 is the date text, and how that text
 * becomes a time. The three kinds are fail2ban's: {@code DatePatternRegex} (strptime-like {@code
 * %} directives), {@code DateEpoch} (seconds, or milli/microseconds for LEPOCH) and {@code
 * DateTai64n}.
 *
 * <p>Immutable and thread-safe; the per-reader counters that fail2ban keeps on templates live in
 * {@link DateSession}.
 */
final class DateTemplate {
  /** How the matched text becomes a time. */
  enum Kind { PATTERN, EPOCH, LONG_EPOCH, TAI64N }

  private static final String EPOCH_REGEX = "\\d{10,11}\\b(?:\\.\\d{3,6})?";
  private static final String LONG_EPOCH_REGEX = "\\d{10,11}(?:\\d{3}(?:\\.\\d{1,6}|\\d{3})?)?";
  private static final CompiledRegex ALPHA_DIRECTIVE =
      CompiledRegex.compile("(?<!\\%)\\%[aAbBpc]", 0);

  private final String name;
  private final Optional<String> pattern;
  private final DateBounds.Bounded bounded;
  private final Kind kind;
  private final int valueGroup;
  private final double weight;
  private final CompiledRegex compiled;
  private final Optional<DateScanner> scanner;
  private final List<Map.Entry<String, Integer>> namedGroups;
  /** The group number of %S, or -1 where the template reads no seconds that way. */
  private final int secondGroup;
  /** The numbers of the named groups, in order. */
  private final int[] groupNumbers;

  private DateTemplate(Optional<String> pattern, DateBounds.Bounded bounded, Kind kind,
      int valueGroup, double weight, CompiledRegex compiled, Optional<DateScanner> scanner) {
    this.name = bounded.name();
    this.pattern = pattern;
    this.bounded = bounded;
    this.kind = kind;
    this.valueGroup = valueGroup;
    this.weight = weight;
    this.compiled = compiled;
    this.scanner = scanner;
    List<Map.Entry<String, Integer>> groups = new ArrayList<>(compiled.groupNames().entrySet());
    groups.sort(Comparator.comparing(Map.Entry::getValue));
    this.namedGroups = List.copyOf(groups);
    this.groupNumbers = namedGroups.stream().mapToInt(Map.Entry::getValue).toArray();
    Integer seconds = compiled.groupNames().get("S");
    this.secondGroup = kind == Kind.PATTERN && seconds != null ? seconds : -1;
  }

  private static DateTemplate of(String source, Optional<String> pattern,
      DateBounds.Bounded bounded, Kind kind, int valueGroup) {
    CompiledRegex compiled;
    try {
      compiled = CompiledRegex.compile(bounded.regex(), 0);
    } catch (RegexSyntaxException e) {
      // fail2ban compiles on first use and then fails every line; refuse the pattern up front.
      throw new DatePatternException(source, "its regex does not compile: " + e.getMessage(), e);
    }
    return new DateTemplate(pattern, bounded, kind, valueGroup, 1.0, compiled, Optional.empty());
  }

  /**
   * fail2ban's {@code DatePatternRegex(pattern)}: {@code {UNB}} drops both word bounds, a leading
   * {@code {^LN-BEG}} binds the date to the line start, and a directive with names in it ({@code
   * %a %A %b %B %p %c}) makes the whole regex case-insensitive.
   */
  static DateTemplate pattern(String pattern, DateDirectives directives) {
    String body = pattern;
    DateBounds.Begin begin = DateBounds.Begin.WORD;
    boolean wordEnd = true;
    if (body.startsWith(DateBounds.UNBOUND_MARK)) {
      body = body.substring(DateBounds.UNBOUND_MARK.length());
      begin = DateBounds.Begin.NONE;
      wordEnd = false;
    }
    if (begin != DateBounds.Begin.NONE && body.startsWith(DateBounds.LINE_BEGIN_MARK)) {
      body = body.substring(DateBounds.LINE_BEGIN_MARK.length());
      begin = DateBounds.Begin.LINE;
    }
    DateDirectives.Expanded expanded = directives.expand(body, pattern);
    String regex = expanded.regex();
    if (ALPHA_DIRECTIVE.search(body) != null) {
      regex = "(?iu)" + regex;
    }
    return of(pattern, Optional.of(pattern),
        DateBounds.bound(expanded.name(), regex, begin, wordEnd), Kind.PATTERN, 1);
  }

  /**
   * fail2ban's {@code DateEpoch()}: 10 or 11 digits at the line start, in {@code [...]} at the line
   * start, or in SELinux's {@code audit(...:n)}; with {@code lineBeginOnly}, only at the start of
   * the line (optionally in brackets). {@code longForm} (LEPOCH) also reads milli- and
   * microseconds.
   */
  static DateTemplate epoch(boolean lineBeginOnly, boolean longForm) {
    String digits = longForm ? LONG_EPOCH_REGEX : EPOCH_REGEX;
    String name = longForm ? "LongEpoch" : "Epoch";
    Kind kind = longForm ? Kind.LONG_EPOCH : Kind.EPOCH;
    DateBounds.Bounded bounded = lineBeginOnly
        ? DateBounds.bound(name, "((?P<square>(?<=^\\[))?" + digits + ")(?(square)(?=\\]))",
            DateBounds.Begin.LINE, true)
        : DateBounds.bound(name, "((?:^|(?P<square>(?<=^\\[))|(?P<selinux>(?<=\\baudit\\()))"
            + digits + ")(?:(?(selinux)(?=:\\d+\\)))|(?(square)(?=\\])))",
            DateBounds.Begin.NONE, true);
    return of(name, Optional.empty(), bounded, kind, 1);
  }

  /**
   * fail2ban's {@code DateEpoch(pattern=...)}: a regex in which {@code {EPOCH}} or {@code
   * {LEPOCH}} stands for the number. The number is read from group 2, whatever that is.
   */
  static DateTemplate epochPattern(String pattern, boolean longForm) {
    String digits = "(" + (longForm ? LONG_EPOCH_REGEX : EPOCH_REGEX) + ")";
    String regex = "(" + DatePatternText.replaceEpoch(pattern, digits) + ")";
    return of(pattern, Optional.empty(),
        DateBounds.bound(pattern, regex, DateBounds.Begin.WORD, true),
        longForm ? Kind.LONG_EPOCH : Kind.EPOCH, 2);
  }

  /** fail2ban's {@code DateTai64n}: {@code @} and 24 hex digits. */
  static DateTemplate tai64n(boolean lineBegin) {
    return of("TAI64N", Optional.empty(), DateBounds.bound("TAI64N", "@[0-9a-f]{24}",
        lineBegin ? DateBounds.Begin.LINE : DateBounds.Begin.NONE, true), Kind.TAI64N, 1);
  }

  /** The same template with another weight (fail2ban gives the anchored defaults 100). */
  DateTemplate withWeight(double newWeight) {
    return new DateTemplate(pattern, bounded, kind, valueGroup, newWeight, compiled, scanner);
  }

  /**
   * The same template searching with a {@link DateScanner} where it can: for fail2ban's own
   * templates, which are tried on every line.
   */
  DateTemplate withScanner() {
    return new DateTemplate(pattern, bounded, kind, valueGroup, weight, compiled,
        DateScanner.of(bounded.regex(), (bounded.flags() & DateBounds.WORD_BEGIN) != 0));
  }

  boolean scanned() {
    return scanner.isPresent();
  }

  String name() {
    return name;
  }

  /** The datepattern of a pattern template (fail2ban's {@code pattern}); empty for the others. */
  Optional<String> pattern() {
    return pattern;
  }

  /** The bounded regex, in Python's dialect. */
  String regex() {
    return bounded.regex();
  }

  DateBounds.Bounded bounded() {
    return bounded;
  }

  /** {@link DateBounds#LINE_BEGIN} and the other flags. */
  int flags() {
    return bounded.flags();
  }

  /** Bound to the line start or end: the detector then takes its match without comparing. */
  boolean anchored() {
    return bounded.anchored();
  }

  double weight() {
    return weight;
  }

  Kind kind() {
    return kind;
  }

  CompiledRegex compiled() {
    return compiled;
  }

  /** Python's {@code regex.search(line)}. */
  RegexMatch search(CharSequence line) {
    return search(line, null);
  }

  /** {@link #search(CharSequence)}, with a reader's memory of its last scan (may be null). */
  RegexMatch search(CharSequence line, DateScanner.Memo memo) {
    if (scanner.isPresent()) {
      RegexMatch match = scanner.get().search(line, 0, memo);
      if (match != DateScanner.GAVE_UP) {
        return match;
      }
    }
    return compiled.search(line);
  }

  /**
   * Python's {@code regex.search(line, from)} when the scanner can answer it (it honours {@code
   * from} as Python does: {@code ^} fails there, lookbehinds see what is before), else {@link
   * DateScanner#GAVE_UP}.
   */
  RegexMatch scanFrom(CharSequence line, int from, DateScanner.Memo memo) {
    return scanner.isPresent() ? scanner.get().search(line, from, memo) : DateScanner.GAVE_UP;
  }

  /**
   * The time of a match of this template: epoch seconds, NaN where fail2ban's {@code getDate}
   * raises the ValueError that {@code getTime} catches.
   *
   * @throws DateLineException where fail2ban raises something else and drops the line
   */
  DateStrptime.Time time(RegexMatch match, TimeContext context,
      Optional<TimeZoneOffset> logTimeZone, DateMktime mktime) {
    return switch (kind) {
      case PATTERN -> DateStrptime.epoch(groups(match), context, logTimeZone, mktime);
      case EPOCH, LONG_EPOCH -> new DateStrptime.Time(epochSeconds(match.group(valueGroup)), false);
      case TAI64N -> new DateStrptime.Time(
          (double) Long.parseLong(match.group(1).substring(2, 17), 16), false);
    };
  }

  /** The group number of %S, or -1 where the template reads no seconds that way. */
  int secondGroup() {
    return secondGroup;
  }

  /**
   * Where the groups a time is read from lie, relative to the match's start: with the matched
   * text, all that {@link #time} depends on besides its context.
   */
  int[] spans(RegexMatch match) {
    int[] spans = new int[2 * groupNumbers.length];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = span(match, i);
    }
    return spans;
  }

  /** Whether {@link #spans} of {@code match} would be {@code spans}, without making them. */
  boolean hasSpans(RegexMatch match, int[] spans) {
    if (spans == null || spans.length != 2 * groupNumbers.length) {
      return false;
    }
    for (int i = 0; i < spans.length; i++) {
      if (spans[i] != span(match, i)) {
        return false;
      }
    }
    return true;
  }

  /** Entry {@code i} of {@link #spans}: a named group's start (even i) or end, or -1. */
  private int span(RegexMatch match, int i) {
    int group = groupNumbers[i / 2];
    int at = i % 2 == 0 ? match.start(group) : match.end(group);
    return at < 0 ? -1 : at - match.start();
  }

  private Map<String, String> groups(RegexMatch match) {
    Map<String, String> groups = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> group : namedGroups) {
      groups.put(group.getKey(), match.group(group.getValue()));
    }
    return groups;
  }

  /** {@code DateEpoch.getDate}: a long form of 13+ digits is milliseconds, 16+ microseconds. */
  private double epochSeconds(String value) {
    if (value == null) {
      throw new DateLineException("the epoch group of '" + name + "' did not take part in the"
          + " match (TypeError in fail2ban); it drops the line");
    }
    String number = asciiNumber(value);
    if (number == null) {
      return Double.NaN;
    }
    double seconds = Double.parseDouble(number);
    if (kind == Kind.LONG_EPOCH && value.length() >= 13) {
      return value.length() >= 16 && value.indexOf('.') < 0 ? seconds / 1000000 : seconds / 1000;
    }
    return seconds;
  }

  /**
   * The group as ASCII digits with at most one point (Python's {@code float()} reads any Unicode
   * decimal digit), or null when it is not such a number. The epoch regexes give nothing else;
   * only a custom group 2 could, and then fail2ban's ValueError means NaN.
   */
  private static String asciiNumber(String value) {
    StringBuilder ascii = new StringBuilder(value.length());
    boolean point = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int digit = Character.digit(c, 10);
      if (digit >= 0) {
        ascii.append((char) ('0' + digit));
      } else if (c == '.' && !point) {
        point = true;
        ascii.append(c);
      } else {
        return null;
      }
    }
    return ascii.length() > (point ? 1 : 0) ? ascii.toString() : null;
  }

  @Override
  public String toString() {
    return name;
  }
}
