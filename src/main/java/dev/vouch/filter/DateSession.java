package dev.vouch.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One reader's use of a {@link DateDetector}: fail2ban's {@code matchTime}, with its state. It
 * tries the template of the last line first, then searches the templates in order, keeps the
 * match nearest the line start when a date turns up further in than before, and moves templates
 * that win up the list ({@code _reorderTemplate}). The order, and so the answer for lines with
 * more than one date, depends on the lines seen before, exactly as in fail2ban.
 *
 * <p>Confined to one thread. fail2ban keeps one counter on the template objects themselves,
 * shared by every jail of the server that uses them; here it counts this session's searches only.
 */
final class DateSession {
  private static final int FAR = 0x7fffffff;
  /** fail2ban's {@code __unusedTime}: a template unused this long may be displaced. */
  private static final long UNUSED_NANOS = 300_000_000_000L;
  private static final long NEVER = Long.MIN_VALUE;
  private static final int MAX_SHIFTED_REGEXES = 16;

  /** One template in this session's order, with fail2ban's {@code DateDetectorTemplate} state. */
  private static final class Entry {
    final DateTemplate template;
    int hits;
    long lastUsed = NEVER;
    int distance = FAR;
    /** fail2ban's {@code template.hits}: successful searches, winning or not. */
    int matches;
    /** The template after "^(?s:.{n,}?)", for searches that must start at n; by n. */
    Map<Integer, CompiledRegex> shifted;
    /** This session's last scan with the template. */
    final DateScanner.Memo memo = new DateScanner.Memo();

    Entry(DateTemplate template) {
      this.template = template;
    }

    double weight() {
      return hits * template.weight() / Math.max(1, distance);
    }
  }

  /** Hits of one template, for test-filter's "Date template hits". */
  record Hits(String template, int hits) {}

  private record Found(RegexMatch match, int index) {}

  private final DateDetector detector;
  private final List<Entry> templates;
  private final LongSupplier nanoClock;
  private final DateMktime mktime = new DateMktime();
  private int lastDistance = 1;
  /**
   * The characters around the last date, as Python's one-character slices: -1 for an empty one,
   * -2 before the first date (equal to no slice).
   */
  private int lastBefore = -2;
  private int lastAt = -2;
  private int lastEnd = FAR;
  private int lastEndBefore = -2;
  private int lastEndAt = -2;
  private int lastIndex = FAR;
  private int firstUnused;
  /**
   * The last time parsed, for the next lines whose date text is the same or differs only in its
   * seconds (a log's next lines of that minute): then the time differs by as many seconds, where
   * {@link DateStrptime.Time#secondsLinear} says so.
   */
  private DateTemplate parsedTemplate;
  private TimeContext parsedContext;
  private String parsedText;
  private int[] parsedSpans;
  /** The scanner's array of spans behind the last parse's match, where it had one. */
  private int[] parsedGroups;
  private double parsedTime;
  /** The last parse's %S (relative to the text) and its value; -1 where there is none to use. */
  private int parsedSecondAt = -1;
  private int parsedSecond = -1;

  DateSession(DateDetector detector, LongSupplier nanoClock) {
    this.detector = detector;
    this.nanoClock = nanoClock;
    this.templates = new ArrayList<>(detector.templates().size());
    for (DateTemplate template : detector.templates()) {
      templates.add(new Entry(template));
    }
  }

  /**
   * The date of {@code line}: group 1 of the winning template, or null when no template matches.
   *
   * @throws DateLineException when the match starts at the end of the line (fail2ban's IndexError,
   *     e.g. {@code {NONE}} on an empty line): fail2ban drops such a line
   */
  DateSpan find(CharSequence line) {
    RegexMatch match = null;
    Found found = null;
    int ignoreBySearch = FAR;
    int index = lastIndex;
    Entry entry = null;
    if (index < templates.size()) {
      entry = templates.get(index);
      if (entry.template.anchored()) {
        match = search(entry, line);
        ignoreBySearch = index;
      } else if (sameBounds(line)) {
        match = searchWithin(entry, line, lastDistance, lastEnd);
      } else {
        match = search(entry, line);
        ignoreBySearch = index;
      }
      if (match != null && templates.size() > 1 && !entry.template.anchored()
          && (match.start() != lastDistance || match.end() != lastEnd)) {
        // Moved: maybe another format now, or a date inside the message. Keep it in reserve.
        found = new Found(match, index);
        match = null;
      }
    }
    if (match == null) {
      for (index = 0; index < templates.size(); index++) {
        if (index == ignoreBySearch) {
          continue;
        }
        entry = templates.get(index);
        match = search(entry, line);
        if (match == null) {
          continue;
        }
        int distance = match.start();
        if (index + 1 >= templates.size() || entry.template.anchored()) {
          break;
        }
        if (distance == 0 && entry.hits > 0 && templates.get(index + 1).matches == 0) {
          break; // at the line start and used before, and the next one never matched
        }
        if (distance > entry.distance || distance > lastDistance) {
          // Further into the line than before: perhaps a date in the message. Keep the nearest.
          if (found == null || distance < found.match().start()) {
            found = new Found(match, index);
          }
          match = null;
          continue;
        }
        break;
      }
      if (match == null && found != null) {
        match = found.match();
        index = found.index();
        entry = templates.get(index);
      }
    }
    if (match == null) {
      return null;
    }
    return win(line, match, index, entry);
  }

  /** Python's {@code matchTime} after a winner is known: counters, positions, reordering. */
  private DateSpan win(CharSequence line, RegexMatch match, int index, Entry entry) {
    int distance = match.start();
    int end = match.end();
    entry.hits++;
    entry.lastUsed = nanoClock.getAsLong();
    entry.distance = distance;
    if (firstUnused == index) {
      firstUnused++;
    }
    if (distance >= line.length()) {
      throw new DateLineException("the date template '" + entry.template.name() + "' matched at"
          + " the end of the line (IndexError in fail2ban); it drops the line");
    }
    lastDistance = distance;
    lastBefore = slice(line, distance - 1);
    lastAt = line.charAt(distance);
    lastEnd = end;
    lastEndBefore = line.charAt(Math.floorMod(end - 1, line.length()));
    lastEndAt = slice(line, end);
    if (index != 0 && index != lastIndex) {
      index = reorder(index);
    }
    lastIndex = index;
    int start = match.start(1);
    if (start < 0) {
      // Group 1 did not take part: fail2ban cuts line[-1:-1], i.e. nothing.
      return new DateSpan(0, 0, entry.template, match);
    }
    return new DateSpan(start, match.end(1), entry.template, match);
  }

  /**
   * The time of a span found by {@link #find}: epoch seconds, or NaN where fail2ban's {@code
   * getTime} cannot parse the text (it logs an error and treats the line as having no date).
   *
   * @throws IllegalArgumentException for an empty span: fail2ban does not parse those
   * @throws DateLineException where fail2ban fails the whole line (e.g. an unknown zone
   *     abbreviation in the text)
   */
  double parse(DateSpan span, TimeContext context) {
    if (span.isEmpty()) {
      throw new IllegalArgumentException("an empty date span has no time to parse");
    }
    DateTemplate template = span.template();
    RegexMatch match = span.match();
    String text = match.group(0);
    int secondGroup = template.secondGroup();
    int secondAt = secondGroup < 0 || match.end(secondGroup) - match.start(secondGroup) != 2 ? -1
        : match.start(secondGroup) - match.start();
    int second = secondAt < 0 ? -1 : twoDigits(text, secondAt);
    int[] groups = match instanceof DateScanner.Captures captures ? captures.groups() : null;
    if (template == parsedTemplate && (groups != null && groups == parsedGroups
        || template.hasSpans(match, parsedSpans)) && context.equals(parsedContext)) {
      if (text.equals(parsedText)) {
        return parsedTime;
      }
      if (parsedSecondAt >= 0 && secondAt == parsedSecondAt && second >= 0 && second <= 59
          && sameBut(text, parsedText, secondAt)) {
        return parsedTime + (second - parsedSecond);
      }
    }
    DateStrptime.Time time = template.time(match, context, detector.logTimeZone(), mktime);
    parsedTemplate = template;
    parsedContext = context;
    parsedText = text;
    parsedSpans = template.spans(match);
    parsedGroups = groups;
    parsedTime = time.epoch();
    boolean linear = time.secondsLinear() && second >= 0 && !Double.isNaN(time.epoch());
    parsedSecondAt = linear ? secondAt : -1;
    parsedSecond = second;
    return time.epoch();
  }

  /** The value of the two ASCII digits at {@code at}, or -1. */
  private static int twoDigits(String text, int at) {
    char tens = text.charAt(at);
    char units = text.charAt(at + 1);
    return tens >= '0' && tens <= '9' && units >= '0' && units <= '9'
        ? (tens - '0') * 10 + units - '0' : -1;
  }

  /** Whether two texts of the same length are the same but for the two characters at {@code at}. */
  private static boolean sameBut(String text, String other, int at) {
    return text.length() == other.length() && text.regionMatches(0, other, 0, at)
        && text.regionMatches(at + 2, other, at + 2, text.length() - at - 2);
  }

  /** The templates in this session's current order, with their hits. */
  List<Hits> hits() {
    List<Hits> hits = new ArrayList<>(templates.size());
    for (Entry entry : templates) {
      hits.add(new Hits(entry.template.name(), entry.hits));
    }
    return hits;
  }

  /**
   * Whether the characters around the last date position are the same in this line, so that the
   * last template may be tried on that part only. Inside the old bounds, a non-alphanumeric
   * character suffices (e.g. a space or bracket that bounds the date).
   */
  private boolean sameBounds(CharSequence line) {
    int distance = lastDistance;
    int end = lastEnd;
    boolean startOk = slice(line, distance - 1) == lastBefore
        || (slice(line, distance) == lastAt && !isAlphanumeric(lastAt));
    return startOk && (slice(line, end) == lastEndAt
        || (slice(line, end - 1) == lastEndBefore && !isAlphanumeric(lastEndBefore)));
  }

  private static RegexMatch search(Entry entry, CharSequence line) {
    RegexMatch match = entry.template.search(line, entry.memo);
    if (match != null) {
      entry.matches++;
    }
    return match;
  }

  /**
   * Python's {@code regex.search(line, pos, endpos)}: the line is cut at {@code endpos} (so
   * {@code $} and the word bounds see its end there), but lookbehinds still see the characters
   * before {@code pos}, and {@code ^} does not match at {@code pos > 0}.
   */
  private RegexMatch searchWithin(Entry entry, CharSequence line, int pos, int endpos) {
    int length = line.length();
    int from = Math.min(Math.max(pos, 0), length);
    int to = Math.min(Math.max(endpos, 0), length);
    if (to < from) {
      return null;
    }
    CharSequence text = to == length ? line : line.subSequence(0, to);
    RegexMatch match = entry.template.scanFrom(text, from, entry.memo);
    if (match == DateScanner.GAVE_UP) {
      match = entry.template.search(text);
    }
    if (match != null && match.start() < from) {
      // A match before pos: ask for the first one at pos or later (rare: two dates in a line).
      match = searchFrom(entry, text, from);
    }
    if (match != null) {
      entry.matches++;
    }
    return match;
  }

  /** The first match starting at {@code from} or later, through a regex that skips the rest. */
  private static RegexMatch searchFrom(Entry entry, CharSequence text, int from) {
    if (entry.shifted == null) {
      entry.shifted = new HashMap<>();
    } else if (entry.shifted.size() >= MAX_SHIFTED_REGEXES && !entry.shifted.containsKey(from)) {
      entry.shifted.clear();
    }
    DateBounds.Bounded bounded = entry.template.bounded();
    CompiledRegex shifted = entry.shifted.computeIfAbsent(from, skip -> CompiledRegex.compile(
        bounded.globalFlags() + "^(?s:.{" + skip + ",}?)(" + bounded.body() + ")", 0));
    RegexMatch match = shifted.search(text);
    return match == null ? null : new ShiftedMatch(match);
  }

  /**
   * fail2ban's {@code _reorderTemplate}: moves the winner up to the first unused place or halfway
   * up, if it outweighs the template there (hits per distance to the line start) or that one has
   * been unused for five minutes; else one place up on the same terms.
   */
  private int reorder(int index) {
    Entry entry = templates.get(index);
    double weight = entry.weight();
    int position = firstUnused < index ? firstUnused : index / 2;
    if (!displaces(entry, weight, templates.get(position))) {
      if (position == index - 1) {
        return index;
      }
      position = index - 1;
      if (!displaces(entry, weight, templates.get(position))) {
        return index;
      }
    }
    templates.remove(index);
    templates.add(position, entry);
    while (firstUnused < templates.size() && templates.get(firstUnused).hits > 0) {
      firstUnused++;
    }
    return position;
  }

  private static boolean displaces(Entry entry, double weight, Entry other) {
    return weight > other.weight() || other.lastUsed == NEVER
        || entry.lastUsed - other.lastUsed > UNUSED_NANOS;
  }

  /**
   * Python's {@code line[at:at+1]} for the small, possibly negative, positions used here: the
   * character, or -1 where the slice is empty.
   */
  private static int slice(CharSequence line, int at) {
    int length = line.length();
    int from = Math.min(at < 0 ? Math.max(at + length, 0) : at, length);
    int to = Math.min(at + 1 < 0 ? Math.max(at + 1 + length, 0) : at + 1, length);
    return from < to ? line.charAt(from) : -1;
  }

  /** Python's {@code str.isalnum()} on a one-character slice (false for an empty one). */
  private static boolean isAlphanumeric(int c) {
    if (c < 0) {
      return false;
    }
    int type = Character.getType(c);
    return Character.isLetter(c) || Character.isDigit(c) || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  /** A match of the shifted regex, seen as one of the template: its group 1 is the whole. */
  private record ShiftedMatch(RegexMatch inner) implements RegexMatch {
    @Override
    public int start() {
      return inner.start(1);
    }

    @Override
    public int end() {
      return inner.end(1);
    }

    @Override
    public String group(int group) {
      return inner.group(group + 1);
    }

    @Override
    public int start(int group) {
      return inner.start(group + 1);
    }

    @Override
    public int end(int group) {
      return inner.end(group + 1);
    }
  }
}
