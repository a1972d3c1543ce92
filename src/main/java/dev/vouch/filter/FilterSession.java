package dev.vouch.filter;

import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a {@link Filter} over the lines of one log, in order, as fail2ban's {@code Filter.processLine}
 * and {@code findFailure} do: the date is found and cut out, the prefregex matched once, the
 * failregexes tried (the first match wins, or all in test mode), ignoreregex applied, and
 * multi-line failures merged by connection id.
 *
 * <p>Confined to one thread: it keeps the multi-line buffer, the connection cache and the last
 * date seen.
 */
public final class FilterSession {
  private final Filter filter;
  private final DateSession dates;
  private final Clock clock;
  private final ZoneId zone;
  private final HostResolver resolver;
  private final boolean checkAll;
  private final boolean rawHosts;
  private final MultilineCache multiline;
  /** Scratch space of the literal prefilter. */
  private final long[] found;
  /** "now" when the clock stands still (test-filter and tests); else NaN: the clock tells. */
  private final double fixedNow;

  private List<LineTuple> lineBuffer = new ArrayList<>();
  /** The date of the last line with one, parsed only when a later line without one needs it. */
  private DateValue lastDated;
  private double lastDate = Double.NaN;
  /** The last result of a line that nothing matched (immutable, so it serves the next). */
  private LineResult lastMiss;
  /** {@link #host} texts read before, as read for any family. */
  private final Map<String, Host> hosts = new HashMap<>();
  private static final int KNOWN_HOSTS = 4096;

  FilterSession(Filter filter, Clock clock, ZoneId zone, HostResolver resolver, boolean checkAll,
      boolean rawHosts) {
    this.filter = filter;
    this.dates = filter.dates().session();
    this.clock = clock;
    this.zone = zone;
    this.resolver = resolver;
    this.checkAll = checkAll;
    this.rawHosts = rawHosts || filter.spec().useDns() == UseDns.RAW;
    this.multiline = new MultilineCache(clock);
    this.found = filter.scanner() == null ? null : filter.scanner().newFoundSet();
    this.fixedNow = clock.equals(Clock.fixed(clock.instant(), clock.getZone()))
        ? clock.millis() / 1000.0 : Double.NaN;
  }

  /**
   * What one line gave: its matches (in test mode also those that only supply an address), whether
   * an ignoreregex or a no-failure match set it aside, and the date template that found its date.
   */
  public record LineResult(List<FilterMatch> matches, boolean ignored, boolean prefregexMatched,
      String dateTemplate) {
    static final LineResult MISS = new LineResult(List.of(), false, false, null);

    LineResult withTemplate(String template) {
      return new LineResult(matches, ignored, prefregexMatched, template);
    }
  }

  Filter filter() {
    return filter;
  }

  /** True when every failregex is tried on every line (test mode). */
  boolean checksAll() {
    return checkAll;
  }

  /** Processes a line whose date is in its text. */
  public LineResult process(String line) {
    if (filter.maxlines() == 1) {
      return finish(filter.prematch(line, dates, found, checkAll));
    }
    DateSpan span;
    try {
      span = dates.find(line);
    } catch (DateLineException e) {
      return LineResult.MISS; // fail2ban drops a line whose date it cannot read at all
    }
    LineResult result = findFailure(tupleOf(line, span), dateOf(line, span));
    return span == null ? result : result.withTemplate(span.template().name());
  }

  /** Processes a line whose date is known (journal entries): the whole line is matched. */
  public LineResult process(String line, double time) {
    if (filter.maxlines() == 1) {
      return finish(filter.prematch(LineTuple.undated(line), null, DateValue.known(time), found,
          checkAll));
    }
    return findFailure(LineTuple.undated(line), DateValue.known(time));
  }

  /**
   * The prematch with its date's time worked out, where that needs no state of this session: the
   * line matched and its date is in its text. Safe on any thread, with that thread's own {@code
   * dates}; it moves the parsing off the thread that calls {@link #finish}.
   */
  Prematch withTime(Prematch prematch, DateSession dates) {
    DateValue date = prematch.date();
    if (prematch.hits().isEmpty() || date.kind() != DateValue.PARSE) {
      return prematch;
    }
    double time;
    try {
      time = dates.parse(date.span(), new TimeContext(zone, parseNow()));
    } catch (DateLineException e) {
      time = Double.NaN;
    }
    return prematch.withDate(date.parsed(time));
  }

  /**
   * The "now" a date without a year or day is read against: the fixed one of a test, else the
   * clock's to the second. A line is read against the time it is processed, which the moment a
   * worker gets to it moves by as much; whole seconds let the date parser's cache serve the
   * lines of one second of a log, whose date text is the same.
   */
  private double parseNow() {
    return Double.isNaN(fixedNow) ? Math.floor(clock.millis() / 1000.0) : fixedNow;
  }

  /**
   * Completes a {@link Prematch} made by {@link Filter#prematch} (possibly on another thread):
   * the stateful part, in log order.
   */
  LineResult finish(Prematch prematch) {
    DateValue date = prematch.date();
    if (date.kind() == DateValue.PARSE) {
      lastDated = date;
    }
    if (prematch.hits().isEmpty()) {
      return prematch.ignored() || prematch.prefregexMatched()
          ? new LineResult(List.of(), prematch.ignored(), prematch.prefregexMatched(),
              prematch.template())
          : prematch.template() == null ? LineResult.MISS : missWith(prematch.template());
    }
    List<FilterMatch> failures = new ArrayList<>();
    boolean ignored = prematch.ignored();
    Double time = null;
    for (Prematch.Hit hit : prematch.hits()) {
      if (hit.ignored()) {
        ignored = true;
        if (!checkAll) {
          break;
        }
        continue;
      }
      if (time == null) {
        time = resolve(date);
      }
      Map<String, Object> failure = hit.failure();
      Object mlfid = failure.get("mlfid");
      List<LineTuple> matched = List.of(prematch.tuple());
      if (mlfid != null) {
        failure = merge(mlfid.toString(), failure, matched);
        if (FilterRegex.isSet(failure.get("nofail"))) {
          ignored = true;
          if (!checkAll) {
            break;
          }
        }
      } else {
        failure.put("matches", concat(failure.get("matches"), matched));
      }
      if (!addFailure(hit.index(), failure, mlfid, time, failures) && !checkAll) {
        break;
      }
      if (!checkAll) {
        break;
      }
    }
    return new LineResult(failures, ignored, prematch.prefregexMatched(), prematch.template());
  }

  /**
   * {@link #finish} of a line that nothing matched ({@link Prematch#isMiss}), from the little of
   * it that the stateful part needs: its date where the text has one to parse (else null), and
   * its date template (null for none). Reading no more of the line than that keeps the in-order
   * part light for the most common line of a log.
   */
  LineResult finishMiss(DateValue parse, String template) {
    if (parse != null) {
      lastDated = parse;
    }
    return template == null ? LineResult.MISS : missWith(template);
  }

  /** A line that nothing matched, with its date template: one result per template in a row. */
  private LineResult missWith(String template) {
    if (lastMiss == null || !lastMiss.dateTemplate().equals(template)) {
      lastMiss = new LineResult(List.of(), false, false, template);
    }
    return lastMiss;
  }

  static LineTuple tupleOf(String line, DateSpan span) {
    return span == null ? LineTuple.undated(line)
        : new LineTuple(line, span.start(), span.end());
  }

  static DateValue dateOf(String line, DateSpan span) {
    if (span == null) {
      return DateValue.NONE;
    }
    return span.isEmpty() ? DateValue.LAST_OR_NOW : DateValue.parse(line, span);
  }

  /**
   * A line's date, resolved only for lines that match. A {@link #PARSE} value may carry its time
   * already ({@link #parsed()}), worked out on the thread that matched the line.
   */
  record DateValue(int kind, String line, DateSpan span, double time, boolean parsed) {
    static final int NONE_KIND = 0;
    static final int LAST_OR_NOW_KIND = 1;
    static final int PARSE = 2;
    static final int KNOWN = 3;
    static final DateValue NONE = new DateValue(NONE_KIND, null, null, Double.NaN, false);
    static final DateValue LAST_OR_NOW =
        new DateValue(LAST_OR_NOW_KIND, null, null, Double.NaN, false);

    static DateValue parse(String line, DateSpan span) {
      return new DateValue(PARSE, line, span, Double.NaN, false);
    }

    static DateValue known(double time) {
      return new DateValue(KNOWN, null, null, time, false);
    }

    /** This value with its time (NaN where the text does not parse). */
    DateValue parsed(double time) {
      return new DateValue(kind, line, span, time, true);
    }
  }

  private double resolve(DateValue date) {
    double now = clock.millis() / 1000.0;
    switch (date.kind()) {
      case DateValue.PARSE: {
        double time = date.parsed() ? date.time() : parse(date.span(), parseNow());
        if (!Double.isNaN(time)) {
          lastDate = time;
          if (date == lastDated) {
            lastDated = null;
          }
          return time;
        }
        return lastWithinAMinute(now);
      }
      case DateValue.KNOWN:
        return date.time();
      case DateValue.LAST_OR_NOW_KIND: {
        double last = lastWithinAMinute(now);
        return Double.isNaN(last) ? now : last;
      }
      default:
        return lastWithinAMinute(now);
    }
  }

  /** The epoch seconds of a date span; NaN when it does not parse (or fail2ban drops it). */
  private double parse(DateSpan span, double now) {
    try {
      return dates.parse(span, new TimeContext(zone, now));
    } catch (DateLineException e) {
      return Double.NaN;
    }
  }

  /** fail2ban reuses the last date for a line without one when it is less than a minute old. */
  private double lastWithinAMinute(double now) {
    if (lastDated != null) {
      double time = parse(lastDated.span(), parseNow());
      lastDated = null;
      if (!Double.isNaN(time)) {
        lastDate = time;
      }
    }
    return !Double.isNaN(lastDate) && lastDate > now - 60 ? lastDate : Double.NaN;
  }

  private LineResult findFailure(LineTuple tuple, DateValue date) {
    if (tuple.dateEnd() > tuple.dateStart() && date.kind() == DateValue.PARSE) {
      lastDated = date;
    }
    lineBuffer.add(tuple);
    if (lineBuffer.size() > filter.maxlines()) {
      lineBuffer = new ArrayList<>(lineBuffer.subList(lineBuffer.size() - filter.maxlines(),
          lineBuffer.size()));
    }
    List<LineTuple> original = List.copyOf(lineBuffer);
    String buffer = joinLines(original);
    List<FilterRegex> ignores = filter.ignoreregex();
    List<FilterRegex> fails = filter.failregex();
    if (!ignores.isEmpty() && ignores.size() < fails.size() - 2
        && ignored(buffer, original, null) >= 0) {
      return new LineResult(List.of(), true, false, null);
    }
    Map<String, Object> prefix = Map.of();
    boolean prefregexMatched = false;
    Optional<FilterRegex> prefregex = filter.prefregex();
    if (prefregex.isPresent()) {
      RegexMatch match = prefregex.get().search(buffer);
      if (match == null) {
        return LineResult.MISS;
      }
      prefregexMatched = true;
      prefix = prefregex.get().groups(match);
      Object content = prefix.remove("content");
      if (FilterRegex.isSet(content)) {
        lineBuffer = new ArrayList<>(List.of(LineTuple.undated((String) content)));
        buffer = null;
      }
    }
    List<FilterMatch> failures = new ArrayList<>();
    boolean ignored = false;
    Double time = null;
    for (int index = 0; index < fails.size(); index++) {
      FilterRegex regex = fails.get(index);
      if (buffer == null) {
        buffer = joinLines(lineBuffer);
      }
      RegexMatch match = regex.search(buffer);
      if (match == null) {
        continue;
      }
      MatchedLines lines = MatchedLines.of(match, buffer, original, regex);
      Map<String, Object> failure = regex.groups(match);
      if (!ignores.isEmpty() && ignored(buffer, original, lines) >= 0) {
        ignored = true;
        buffer = null;
        if (!checkAll) {
          break;
        }
        continue;
      }
      if (!checkAll || filter.maxlines() > 1) {
        lineBuffer = new ArrayList<>(lines.unmatched());
        buffer = null;
      }
      if (!prefix.isEmpty()) {
        Map<String, Object> merged = new FailureData(prefix);
        merged.putAll(failure);
        failure = merged;
      }
      if (time == null) {
        time = resolve(date);
      }
      Object mlfid = failure.get("mlfid");
      if (mlfid != null) {
        failure = merge(mlfid.toString(), failure, lines.matched());
        if (FilterRegex.isSet(failure.get("nofail"))) {
          ignored = true;
          if (!checkAll) {
            return new LineResult(failures, ignored, prefregexMatched, null);
          }
        }
      } else {
        failure.put("matches", concat(failure.get("matches"), lines.matched()));
      }
      if (!addFailure(index, failure, mlfid, time, failures) && !checkAll) {
        return new LineResult(failures, ignored, prefregexMatched, null);
      }
      if (!checkAll) {
        break;
      }
    }
    return new LineResult(failures, ignored, prefregexMatched, null);
  }

  /** False when the line must end here (a pending multi-line failure outside test mode). */
  private boolean addFailure(int index, Map<String, Object> failure, Object mlfid, double time,
      List<FilterMatch> failures) {
    String fid = string(failure.get("fid"));
    String cidr = string(failure.get("cidr"));
    String host;
    int family;
    if ((host = string(failure.get("ip4"))) != null) {
      family = 4;
    } else if ((host = string(failure.get("ip6"))) != null) {
      family = 6;
    } else if ((host = string(failure.get("dns"))) != null) {
      family = rawHosts ? -1 : 0;
    } else if (fid != null || mlfid != null) {
      host = fid;
      family = -1;
    } else {
      return true; // fail2ban logs "No group found" and goes on
    }
    if (host == null) {
      failure.put("mlfpending", 1);
      if (!checkAll) {
        return false;
      }
      failures.add(new FilterMatch(index, null, Optional.empty(), time, failure));
      return true;
    }
    if (family == 0) {
      for (IpAddress address : textToIp(host)) {
        failures.add(new FilterMatch(index, address.toString(), Optional.of(Cidr.of(address)),
            time, failure));
      }
      return true;
    }
    // An address group is always read as an address; an id (or a host name kept raw) is read
    // as one only when it is one and the session does not keep raw hosts (fail2ban's CIDR_RAW).
    Host address = family > 0 ? host(host, family, cidr)
        : rawHosts ? new Host(Optional.empty(), host) : host(host, 0, null);
    if (fid == null || fid.equals(host)) {
      failures.add(new FilterMatch(index, address.id(), address.network(), time, failure));
    } else {
      failure.put("ip", address.id());
      String id = rawHosts ? fid : host(fid, 0, null).id();
      failures.add(new FilterMatch(index, id, address.network(), time, failure));
    }
    return true;
  }

  /** A host text read as an address (or not), and the id it counts under. */
  private record Host(Optional<Cidr> network, String id) {
    /** The network's canonical text is the id; a text that is none counts as itself. */
    static Host of(String text, Optional<Cidr> network) {
      return new Host(network, network.isPresent() ? network.get().toString() : text);
    }
  }

  /**
   * {@link #network} of a host text with its id: a dotted quad read at once, other texts without
   * a cidr remembered for the last few thousand (the same addresses come back line after line
   * in a log under attack).
   */
  private Host host(String text, int family, String cidr) {
    if (cidr != null && !cidr.isEmpty()) {
      return Host.of(text, network(text, family, cidr));
    }
    if (family != 6) {
      // A dotted quad, the usual address of a log line, is read faster than looked up.
      IpAddress quad = IpAddress.parseDottedQuad(text);
      if (quad != null) {
        return new Host(Optional.of(Cidr.of(quad)), text);
      }
    }
    Host host = hosts.get(text);
    if (host == null) {
      if (hosts.size() >= KNOWN_HOSTS) {
        hosts.clear();
      }
      host = Host.of(text, network(text, 0, null));
      hosts.put(text, host);
    }
    if (family != 0 && host.network().isPresent()
        && (family == 4) != host.network().get().address().isIpv4()) {
      return new Host(Optional.empty(), text); // an address of the other family
    }
    return host;
  }

  /** An address in a name-or-address field: the address itself, else resolved per usedns. */
  private List<IpAddress> textToIp(String text) {
    Optional<IpAddress> plain = IpAddress.tryParse(text);
    if (plain.isPresent()) {
      return List.of(plain.get());
    }
    UseDns useDns = filter.spec().useDns();
    return useDns == UseDns.YES || useDns == UseDns.WARN ? resolver.resolve(text) : List.of();
  }

  /** fail2ban's IPAddr(text, cidr): family 4 or 6 forces a family, 0 tries both. */
  private static Optional<Cidr> network(String text, int family, String cidr) {
    IpAddress address = IpAddress.tryParse(text).orElse(null);
    if (address == null || (family != 0 && (family == 4) != address.isIpv4())) {
      return Optional.empty();
    }
    int prefix = address.family().bits();
    if (cidr != null && !cidr.isEmpty()) {
      try {
        prefix = Math.min(Integer.parseInt(cidr), prefix);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.of(new Cidr(address, prefix));
  }

  /** fail2ban's {@code _mergeFailure}: multi-line failures keyed by connection id. */
  private Map<String, Object> merge(String mlfid, Map<String, Object> failure,
      List<LineTuple> matched) {
    Map<String, Object> cached = multiline.get(mlfid);
    Set<String> users = null;
    int flags = 0;
    if (FilterRegex.isSet(failure.get("mlfgained"))) {
      flags |= 8 | 1;
      if (!FilterRegex.isSet(failure.get("nofail"))) {
        failure.put("nofail", failure.get("mlfgained"));
      }
    } else if (FilterRegex.isSet(failure.get("nofail"))) {
      flags |= 1;
    }
    if (FilterRegex.isSet(failure.remove("mlfforget"))) {
      flags |= 2;
    }
    if (cached != null) {
      // A match handed out earlier may hold the cached failure: change a copy, so that every
      // failure map stays as it was when its match was made.
      cached = copyOf(cached);
      multiline.replace(mlfid, cached);
      users = updateUsers(cached, failure.get("user"));
      if (FilterRegex.isSet(cached.remove("nofail"))) {
        flags |= 4;
      }
      if (FilterRegex.isSet(cached.remove("mlfgained"))) {
        flags |= 4;
      }
      if ((flags & 8) != 0) {
        cached.remove("mlfpending");
      }
      if ((flags & 4) == 0 && !FilterRegex.isSet(cached.get("mlfpending"))) {
        cached.remove("matches");
      }
      for (Map.Entry<String, Object> entry : failure.entrySet()) {
        if (entry.getValue() != null) {
          cached.put(entry.getKey(), entry.getValue());
        }
      }
      failure = cached;
      if ((flags & 2) != 0) {
        multiline.remove(mlfid);
      }
    } else if ((flags & 2) == 0) {
      users = updateUsers(failure, failure.get("user"));
      multiline.put(mlfid, failure);
    }
    if (FilterRegex.isSet(failure.remove("mlfpending")) || (users != null && users.size() > 1)) {
      failure.remove("nofail");
      failure.remove("mlfgained");
      flags &= ~(8 | 1);
    }
    if ((flags & 1) == 0) {
      List<LineTuple> lines = new ArrayList<>(list(failure.remove("nofail-matches")));
      lines.addAll(list(failure.get("matches")));
      if ((flags & 8) == 0) {
        lines.addAll(matched);
      }
      failure.put("matches", lines);
    } else if ((flags & 3) == 1) {
      failure.put("nofail-matches", concat(failure.get("nofail-matches"), matched));
    }
    return failure;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> updateUsers(Map<String, Object> failure, Object user) {
    Set<String> users = (Set<String>) failure.get("users");
    if (FilterRegex.isSet(user)) {
      if (users == null) {
        users = new LinkedHashSet<>();
        failure.put("users", users);
      }
      users.add(user.toString());
    }
    return users;
  }

  /** fail2ban's {@code _ignoreLine}: the index of the ignoreregex that matched, or -1. */
  private int ignored(String buffer, List<LineTuple> original, MatchedLines lines) {
    if (lines != null && filter.maxlines() > 1) {
      buffer = joinLines(lines.matched());
    }
    List<FilterRegex> ignores = filter.ignoreregex();
    for (int index = 0; index < ignores.size(); index++) {
      if (ignores.get(index).search(buffer) != null) {
        if ((!checkAll || filter.maxlines() > 1) && lines != null) {
          lineBuffer = new ArrayList<>(lines.unmatched());
        }
        return index;
      }
    }
    return -1;
  }

  /** fail2ban's {@code _tupleLinesBuf}: the lines without dates, each ending in a newline. */
  static String joinLines(List<LineTuple> lines) {
    if (lines.size() == 1) {
      return lines.get(0).withoutDate() + "\n";
    }
    StringBuilder text = new StringBuilder();
    for (LineTuple line : lines) {
      text.append(line.before()).append(line.after()).append('\n');
    }
    return text.toString();
  }

  /** A failure map to change, with a set of users of its own. */
  private static Map<String, Object> copyOf(Map<String, Object> failure) {
    Map<String, Object> copy = new FailureData(failure);
    copy.computeIfPresent("users", (key, users) -> new LinkedHashSet<>((Set<?>) users));
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static List<LineTuple> list(Object value) {
    return value instanceof List<?> ? (List<LineTuple>) value : List.of();
  }

  private static List<LineTuple> concat(Object existing, List<LineTuple> more) {
    List<LineTuple> lines = new ArrayList<>(list(existing));
    lines.addAll(more);
    return lines;
  }

  private static String string(Object value) {
    return value == null ? null : value.toString();
  }
}
