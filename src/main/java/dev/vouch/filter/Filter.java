package dev.vouch.filter;

import java.time.Clock;
import java.time.Year;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A compiled filter: fail2ban's prefregex, failregex and ignoreregex with date detection, and a
 * prefilter of required literals so that lines which cannot match run no regex at all.
 *
 * <p>Immutable and thread-safe; the per-line state (multi-line buffer, connection cache, last
 * date) lives in a {@link FilterSession}, one per reading thread.
 */
public final class Filter {
  private final FilterSpec spec;
  private final Optional<FilterRegex> prefregex;
  private final List<FilterRegex> failregex;
  private final List<FilterRegex> ignoreregex;
  private final DateDetector dates;
  /** Null for multi-line filters, whose regexes span lines that are scanned one by one. */
  private final LiteralScanner scanner;
  /** Per failregex: groups of literal-id bit masks; every group must intersect what was found. */
  private final long[][][] conditions;
  /**
   * Per literal id: the failregexes (bit i for failregex i) whose rarest group holds it, so that
   * a line's few literals name the few failregexes worth testing; null for a filter of more than
   * 64 failregexes. A failregex that needs no literal is in {@link #anyway}.
   */
  private final long[] byRarestLiteral;
  private final long anyway;
  /** The prefregex's {@code <F-CONTENT>} group, or -1. */
  private final int contentGroup;

  private Filter(FilterSpec spec, Optional<FilterRegex> prefregex, List<FilterRegex> failregex,
      List<FilterRegex> ignoreregex, DateDetector dates) {
    this(spec, prefregex, failregex, ignoreregex, dates,
        spec.maxlines() > 1 ? null : new LiteralScanner(literalsOf(List.of(failregex))));
  }

  /** A filter whose prefilter is {@code scanner}, which knows every literal its regexes need. */
  private Filter(FilterSpec spec, Optional<FilterRegex> prefregex, List<FilterRegex> failregex,
      List<FilterRegex> ignoreregex, DateDetector dates, LiteralScanner scanner) {
    this.spec = spec;
    this.prefregex = prefregex;
    this.failregex = failregex;
    this.ignoreregex = ignoreregex;
    this.dates = dates;
    this.scanner = scanner;
    this.contentGroup = prefregex.map(regex -> regex.regex().group("content")).orElse(-1);
    if (scanner == null) {
      this.conditions = null;
      this.byRarestLiteral = null;
      this.anyway = 0;
      return;
    }
    this.conditions = new long[failregex.size()][][];
    long[] byLiteral = failregex.size() <= 64 ? new long[scanner.size()] : null;
    long withoutLiterals = 0;
    for (int r = 0; r < failregex.size(); r++) {
      // Rarest group first (its shortest literal the longest: long literals are the rare ones),
      // so that most failregexes are ruled out by their first test.
      List<Set<String>> groups = new ArrayList<>(failregex.get(r).requiredLiterals());
      groups.sort(Comparator.comparingInt(RequiredLiterals::shortest).reversed());
      conditions[r] = new long[groups.size()][];
      for (int g = 0; g < groups.size(); g++) {
        long[] mask = scanner.newFoundSet();
        for (String literal : groups.get(g)) {
          int id = scanner.id(literal);
          mask[id >>> 6] |= 1L << id;
        }
        conditions[r][g] = mask;
      }
      if (byLiteral != null && groups.isEmpty()) {
        withoutLiterals |= 1L << r;
      } else if (byLiteral != null) {
        for (String literal : groups.get(0)) {
          byLiteral[scanner.id(literal)] |= 1L << r;
        }
      }
    }
    this.byRarestLiteral = byLiteral;
    this.anyway = withoutLiterals;
  }

  /** The literals the failregexes of these filters require, each once, in order. */
  private static List<String> literalsOf(List<List<FilterRegex>> filters) {
    Set<String> literals = new LinkedHashSet<>();
    for (List<FilterRegex> failregex : filters) {
      for (FilterRegex regex : failregex) {
        regex.requiredLiterals().forEach(literals::addAll);
      }
    }
    return new ArrayList<>(literals);
  }

  /**
   * The same filters, the single-line ones rebuilt around one literal scanner for all of them
   * (paired jails on one log): a reader then scans each line once for them all, where their
   * dates sit in the same place, and finds its date once for those that read dates alike
   * ({@link #sharesScanWith}).
   */
  public static List<Filter> sharingScans(List<Filter> filters) {
    List<List<FilterRegex>> regexes = new ArrayList<>();
    for (Filter filter : filters) {
      if (filter.scanner != null) {
        regexes.add(filter.failregex);
      }
    }
    if (regexes.size() < 2) {
      return filters;
    }
    LiteralScanner scanner = new LiteralScanner(literalsOf(regexes));
    List<Filter> shared = new ArrayList<>();
    for (Filter filter : filters) {
      shared.add(filter.scanner == null ? filter : new Filter(filter.spec, filter.prefregex,
          filter.failregex, filter.ignoreregex, filter.dates, scanner));
    }
    return shared;
  }

  /**
   * True when a line's literal scan for {@code other} serves this filter too, wherever the two
   * find the same date ({@link #sharingScans}).
   */
  boolean sharesScanWith(Filter other) {
    return scanner != null && scanner == other.scanner;
  }

  /** True when this filter finds every line's date where {@code other} does. */
  boolean sharesDatesWith(Filter other) {
    return dates == other.dates;
  }

  /**
   * Builds now, on the calling thread, what the filters of {@code year} share: the default date
   * templates. A command that will compile filters starts this on a thread of its own first
   * thing, so that it is done while the command line is still being parsed.
   */
  public static void prepare(Year year) {
    DateDetector.defaultTemplates(year);
  }

  /**
   * Compiles a filter; {@code year} is the current year, which fail2ban's {@code %ExY} needs
   * (years of this century up to the decade after it).
   *
   * @throws FilterException naming the file:line of a regex that does not compile, of a
   *     failregex without a group that identifies the failure, or of a bad datepattern
   */
  public static Filter compile(FilterSpec spec, Year year) {
    boolean multiline = spec.maxlines() > 1;
    boolean useDns = spec.useDns() != UseDns.NO;
    Optional<FilterRegex> prefregex = spec.prefregex()
        .map(source -> FilterRegex.compile(source, "prefregex", useDns, multiline));
    List<FilterRegex> failregex = new ArrayList<>();
    for (RegexSource source : spec.failregex()) {
      FilterRegex regex = FilterRegex.compile(source, "failregex", useDns, multiline);
      if (!regex.hasFailureId() && !prefregex.map(FilterRegex::hasFailureId).orElse(false)) {
        throw new FilterException(source.origin() + ": failregex: no failure-id group (<HOST>,"
            + " <ADDR>, <F-ID> ...) in " + source.text());
      }
      failregex.add(regex);
    }
    List<FilterRegex> ignoreregex = new ArrayList<>();
    for (RegexSource source : spec.ignoreregex()) {
      ignoreregex.add(FilterRegex.compile(source, "ignoreregex", useDns, multiline));
    }
    DateDetector dates;
    try {
      dates = spec.datepattern().isPresent() ? DateDetector.parse(spec.datepattern().get(), year)
          : DateDetector.defaults(year);
      if (spec.logtimezone().isPresent()) {
        dates = dates.withLogTimeZone(TimeZoneOffset.parse(spec.logtimezone().get()));
      }
    } catch (DatePatternException e) {
      throw new FilterException(spec.name() + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new FilterException(spec.name() + ": logtimezone: " + e.getMessage());
    }
    return new Filter(spec, prefregex, List.copyOf(failregex), List.copyOf(ignoreregex), dates);
  }

  /** A session for one reading thread, in the mode a jail runs in (first failregex wins). */
  public FilterSession newSession(Clock clock, ZoneId zone, HostResolver resolver) {
    return new FilterSession(this, clock, zone, resolver, false, false);
  }

  /**
   * A session that tries every failregex on every line and keeps hosts as written, as
   * fail2ban-regex and fail2ban's sample tests do.
   */
  public FilterSession newTestSession(Clock clock, ZoneId zone, HostResolver resolver,
      boolean rawHosts) {
    return new FilterSession(this, clock, zone, resolver, true, rawHosts);
  }

  public FilterSpec spec() {
    return spec;
  }

  public int failregexCount() {
    return failregex.size();
  }

  /** How each regex runs, for check-config and test-filter: engine and pattern. */
  public List<RegexReport> describe() {
    List<RegexReport> reports = new ArrayList<>();
    prefregex.ifPresent(regex -> reports.add(RegexReport.of("prefregex", 0, regex)));
    for (int i = 0; i < failregex.size(); i++) {
      reports.add(RegexReport.of("failregex", i, failregex.get(i)));
    }
    for (int i = 0; i < ignoreregex.size(); i++) {
      reports.add(RegexReport.of("ignoreregex", i, ignoreregex.get(i)));
    }
    return reports;
  }

  /** What {@link #describe()} says of one regex. */
  public record RegexReport(String kind, int index, String origin, String regex, boolean linear,
      String engine) {
    static RegexReport of(String kind, int index, FilterRegex regex) {
      boolean linear = regex.regex().engine() == CompiledRegex.Engine.RE2;
      return new RegexReport(kind, index, regex.source().origin(), regex.source().text(), linear,
          linear ? "re2j" : "backtracking (step budget)");
    }
  }

  /**
   * The epoch seconds of a line's date as this filter reads dates, NaN when it has none (for
   * finding where the last findtime of a log begins).
   */
  public double timeOf(String line, ZoneId zone, double now) {
    DateSession session = dates.session();
    try {
      DateSpan span = session.find(line);
      if (span == null || span.isEmpty()) {
        return Double.NaN;
      }
      return session.parse(span, new TimeContext(zone, now));
    } catch (DateLineException e) {
      return Double.NaN;
    }
  }

  Optional<FilterRegex> prefregex() {
    return prefregex;
  }

  List<FilterRegex> failregex() {
    return failregex;
  }

  List<FilterRegex> ignoreregex() {
    return ignoreregex;
  }

  DateDetector dates() {
    return dates;
  }

  int maxlines() {
    return spec.maxlines();
  }

  /** Compiles now the re2j forms that are otherwise compiled on first need (for the tests). */
  void compileLinearForms() {
    prefregex.ifPresent(regex -> regex.regex().compileLinear());
    failregex.forEach(regex -> regex.regex().compileLinear());
    ignoreregex.forEach(regex -> regex.regex().compileLinear());
  }

  LiteralScanner scanner() {
    return scanner;
  }

  /**
   * The stateless part of processing a line whose date is in its text (single-line filters); null
   * for a line fail2ban drops (it cannot read its date at all).
   */
  Prematch prematch(String line, DateSession dates, long[] found, boolean checkAll) {
    return prematch(scan(line, dates, found), checkAll);
  }

  /**
   * A line's date found and cut out, and its literals scanned into {@code found}: the part of
   * {@link #prematch} that serves every filter which {@link #sharesScanWith} this one.
   */
  Scan scan(String line, DateSession dates, long[] found) {
    return scan(line, dates, found, null);
  }

  /**
   * {@link #scan(String, DateSession, long[])}, taking the literals found from {@code shared},
   * the scan of a filter that this one {@link #sharesScanWith}, where the date is in the same
   * place.
   */
  Scan scan(String line, DateSession dates, long[] found, Scan shared) {
    DateSpan span;
    try {
      span = dates.find(line);
    } catch (DateLineException e) {
      return new Scan(LineTuple.undated(line), null, FilterSession.DateValue.NONE, null);
    }
    LineTuple tuple = FilterSession.tupleOf(line, span);
    if (shared != null && shared.found() != null
        && shared.tuple().dateStart() == tuple.dateStart()
        && shared.tuple().dateEnd() == tuple.dateEnd()) {
      found = shared.found();
    } else {
      scanLiterals(tuple, found);
    }
    return new Scan(tuple, span == null ? null : span.template().name(),
        FilterSession.dateOf(line, span), found);
  }

  /**
   * A scanned line: {@code found} is null for a line fail2ban drops because it cannot read its
   * date at all.
   */
  record Scan(LineTuple tuple, String template, FilterSession.DateValue date, long[] found) {}

  /** {@link #prematch(String, DateSession, long[], boolean)} of a line already scanned. */
  Prematch prematch(Scan scan, boolean checkAll) {
    if (scan.found() == null) {
      return Prematch.dropped(scan.tuple().line());
    }
    return prematchScanned(scan.tuple(), scan.template(), scan.date(), scan.found(), checkAll);
  }

  /**
   * The stateless part of processing one line: the literal prefilter, the ignoreregex pre-check,
   * the prefregex and its content, and the failregexes, as fail2ban's {@code findFailure} runs
   * them on a one-line buffer.
   */
  Prematch prematch(LineTuple tuple, String template, FilterSession.DateValue date, long[] found,
      boolean checkAll) {
    scanLiterals(tuple, found);
    return prematchScanned(tuple, template, date, found, checkAll);
  }

  /** {@link #prematch(LineTuple, String, FilterSession.DateValue, long[], boolean)} once scanned. */
  private Prematch prematchScanned(LineTuple tuple, String template,
      FilterSession.DateValue date, long[] found, boolean checkAll) {
    // Up to 64 failregexes, the ones worth testing as bits; beyond, each is tested in turn.
    long candidates = byRarestLiteral != null ? candidates(found) : 0;
    if (byRarestLiteral != null ? candidates == 0 : !anyCandidate(found)) {
      return new Prematch(tuple, date, template, false, false, List.of());
    }
    CharSequence buffer = tuple.dateStart() == 0 ? RegexText.of(tuple.line(), tuple.dateEnd())
        : tuple.withoutDate() + "\n";
    if (!ignoreregex.isEmpty() && ignoreregex.size() < failregex.size() - 2
        && anyIgnored(buffer)) {
      return new Prematch(tuple, date, template, false, true, List.of());
    }
    FilterRegex.Captured prefix = null;
    if (prefregex.isPresent()) {
      RegexMatch match = prefregex.get().search(buffer);
      if (match == null) {
        return new Prematch(tuple, date, template, false, false, List.of());
      }
      // The content is what the failregexes search, not a value of the failure: its text is
      // made only where it does not run to the end of the line (else a view of the line).
      int content = contentGroup;
      prefix = prefregex.get().capture(match, content);
      int from = content < 0 ? -1 : match.start(content);
      int to = content < 0 ? -1 : match.end(content);
      if (from >= 0 && to > from) {
        buffer = tuple.dateStart() == 0 && to == buffer.length() - 1
            ? RegexText.of(tuple.line(), tuple.dateEnd() + from)
            : RegexText.of(buffer.subSequence(from, to).toString(), 0);
      }
    }
    List<Prematch.Hit> hits = new ArrayList<>(checkAll ? 4 : 1);
    for (int index = 0; index < failregex.size(); index++) {
      if (byRarestLiteral != null ? (candidates & (1L << index)) == 0 : !mayMatch(index, found)) {
        continue;
      }
      RegexMatch match = failregex.get(index).search(buffer);
      if (match == null) {
        continue;
      }
      hits.add(Prematch.Hit.of(index, prefix, failregex.get(index).capture(match),
          !ignoreregex.isEmpty() && anyIgnored(buffer)));
      if (!checkAll) {
        break;
      }
    }
    return new Prematch(tuple, date, template, prefregex.isPresent(), false, hits);
  }

  private boolean anyIgnored(CharSequence buffer) {
    for (FilterRegex regex : ignoreregex) {
      if (regex.search(buffer) != null) {
        return true;
      }
    }
    return false;
  }

  /** Sets in {@code found} the literals that occur in the line without its date. */
  private void scanLiterals(LineTuple tuple, long[] found) {
    if (scanner == null) {
      return;
    }
    java.util.Arrays.fill(found, 0);
    String line = tuple.line();
    // The two sides of the date scan as one text: that is the buffer the regexes search.
    int state = scanner.scan(line, 0, tuple.dateStart(), LiteralScanner.start(), found);
    scanner.scan(line, tuple.dateEnd(), line.length(), state, found);
  }

  /**
   * The literal prefilter of a filter of more than 64 failregexes: false when none can match a
   * line with these literals.
   */
  private boolean anyCandidate(long[] found) {
    if (scanner == null) {
      return true;
    }
    for (int index = 0; index < failregex.size(); index++) {
      if (mayMatch(index, found)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The failregexes (bit i for failregex i) that may match a text in which {@code found}
   * literals occur: those its literals name by their rarest group, then tested in full.
   */
  private long candidates(long[] found) {
    long named = anyway;
    for (int w = 0; w < found.length; w++) {
      for (long bits = found[w]; bits != 0; bits &= bits - 1) {
        named |= byRarestLiteral[(w << 6) + Long.numberOfTrailingZeros(bits)];
      }
    }
    long candidates = 0;
    for (long bits = named; bits != 0; bits &= bits - 1) {
      int index = Long.numberOfTrailingZeros(bits);
      if (mayMatch(index, found)) {
        candidates |= 1L << index;
      }
    }
    return candidates;
  }

  /** True when failregex {@code index} may match a text in which {@code found} literals occur. */
  boolean mayMatch(int index, long[] found) {
    for (long[] group : conditions[index]) {
      boolean any = false;
      for (int w = 0; w < group.length && !any; w++) {
        any = (group[w] & found[w]) != 0;
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }
}
