package dev.vouch.filter;

import java.time.Year;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Finds and reads the date of log lines as fail2ban 1.0.2's {@code DateDetector} does: the
 * default templates, or those of a jail's {@code datepattern}, in fail2ban's order.
 *
 * <p>Immutable and thread-safe: built once per filter. The state that fail2ban keeps while it
 * reads (hits, the template used last, the reordering) lives in a {@link DateSession}, one per
 * reading thread.
 */
final class DateDetector {
  private static final String DEFAULTS_NAME = "Default Detectors";

  private final List<DateTemplate> templates;
  private final boolean defaults;
  private final Optional<TimeZoneOffset> logTimeZone;

  private DateDetector(List<DateTemplate> templates, boolean defaults,
      Optional<TimeZoneOffset> logTimeZone) {
    this.templates = List.copyOf(templates);
    this.defaults = defaults;
    this.logTimeZone = logTimeZone;
  }

  /**
   * The default templates ({@code datepattern} unset, empty or {@code {DEFAULT}}).
   *
   * @param year the current year: fail2ban's {@code %ExY} accepts 20xx years up to the decade of
   *     {@code year + 3}, fixed when the filter is built
   */
  static DateDetector defaults(Year year) {
    return DEFAULTS.computeIfAbsent(year, key -> new DateDetector(
        defaultTemplates(key).all(), true, Optional.empty()));
  }

  /**
   * The default templates of a year, built once and shared (they are immutable): by the default
   * detector and by every datepattern that names defaults ({@code {^LN-BEG}}, {@code {DATE}}).
   */
  static DateDefaults defaultTemplates(Year year) {
    return DEFAULT_TEMPLATES.computeIfAbsent(year,
        key -> new DateDefaults(DateDirectives.startingIn(key)));
  }

  private static final Map<Year, DateDefaults> DEFAULT_TEMPLATES = new ConcurrentHashMap<>();

  /**
   * The default detectors, one per year: every filter without a datepattern shares them, so they
   * compile once, and filters that read dates alike hold the same detector
   * ({@code Filter.sharesDatesWith}).
   */
  private static final Map<Year, DateDetector> DEFAULTS = new ConcurrentHashMap<>();

  /**
   * The templates of a {@code datepattern} value: one pattern per line, each a {@code %}-directive
   * regex, EPOCH, LEPOCH, TAI64N, {@code {^LN-BEG}} (all defaults anchored at the line start),
   * {@code {DEFAULT}}, {@code {NONE}}, or a regex with {@code {DATE}} standing for each default.
   *
   * @param year see {@link #defaults(Year)}
   * @throws DatePatternException for a pattern fail2ban would refuse, or one whose regex does not
   *     compile (fail2ban accepts that one, then fails every line)
   */
  static DateDetector parse(String datepattern, Year year) {
    return PARSED.computeIfAbsent(year + "\n" + datepattern, key -> build(datepattern, year));
  }

  /** Detectors by year and datepattern, shared as {@link #DEFAULTS} are. */
  private static final Map<String, DateDetector> PARSED = new ConcurrentHashMap<>();

  private static DateDetector build(String datepattern, Year year) {
    Builder builder = new Builder(year);
    for (String line : datepattern.split("\n+")) {
      String pattern = DateBounds.strip(line);
      if (!pattern.isEmpty()) {
        builder.append(pattern);
      }
    }
    if (builder.templates.isEmpty()) {
      return defaults(year);
    }
    return new DateDetector(builder.templates, false, Optional.empty());
  }

  /** The same detector reading dates without a zone in {@code logTimeZone}. */
  DateDetector withLogTimeZone(TimeZoneOffset zone) {
    return new DateDetector(templates, defaults, Optional.of(zone));
  }

  /**
   * A new session for one reading thread. Its only clock is a stopwatch: fail2ban lets a template
   * that has not won for five minutes of processing time give way to another, whatever the dates
   * in the log say.
   */
  DateSession session() {
    return session(System::nanoTime);
  }

  /** A session whose stopwatch is {@code nanoClock} (one its owner moves on, say). */
  DateSession session(LongSupplier nanoClock) {
    return new DateSession(this, nanoClock);
  }

  /**
   * What fail2ban-regex prints after "Use datepattern": "Default Detectors" for the defaults or
   * more than two templates, else the name of the first template, such as {@code
   * ^Year-Month-Day 24hour:Minute:Second}.
   */
  String describe() {
    return defaults || templates.size() > 2 ? DEFAULTS_NAME : templates.get(0).name();
  }

  List<DateTemplate> templates() {
    return templates;
  }

  Optional<TimeZoneOffset> logTimeZone() {
    return logTimeZone;
  }

  /** fail2ban's {@code DateDetector.appendTemplate} for each datepattern line. */
  private static final class Builder {
    private final Year year;
    private final List<DateTemplate> templates = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    Builder(Year year) {
      this.year = year;
    }

    private DateDefaults defaultTemplates() {
      return DateDetector.defaultTemplates(year);
    }

    void append(String pattern) {
      String key = DatePatternText.key(pattern);
      switch (key) {
        case "{^LN-BEG}" -> addDefaults(defaultTemplates().all(),
            template -> (template.flags() & DateBounds.LINE_BEGIN) != 0, null);
        case "{DEFAULT}" -> addDefaults(defaultTemplates().all(), template -> true, null);
        case "{NONE}" -> add(defaultTemplates().template("{UNB}^", key), pattern, false);
        default -> {
          if (key.contains("{DATE}")) {
            addDefaults(defaultTemplates().base(), template -> true, pattern);
          } else {
            add(defaultTemplates().template(pattern, key), pattern, false);
          }
        }
      }
    }

    /**
     * {@code addDefaultTemplate}: the defaults that pass {@code filter}, each wrapped into {@code
     * preMatch} when that is a {@code {DATE}} pattern. Duplicates of templates already there are
     * skipped, unless the detector was empty (then fail2ban raises, which cannot happen here).
     */
    private void addDefaults(List<DateTemplate> candidates, Predicate<DateTemplate> filter,
        String preMatch) {
      boolean ignoreDuplicates = !templates.isEmpty();
      for (DateTemplate template : candidates) {
        if (!filter.test(template)) {
          continue;
        }
        if (preMatch != null) {
          template = defaultTemplates().derived(template, DatePatternText.dateWrapper(preMatch));
        }
        add(template, preMatch != null ? preMatch : template.name(), ignoreDuplicates);
      }
    }

    private void add(DateTemplate template, String pattern, boolean ignoreDuplicates) {
      if (!names.add(template.name())) {
        if (ignoreDuplicates) {
          return;
        }
        throw new DatePatternException(pattern, "there is already a date template named '"
            + template.name() + "' (each datepattern line must differ)");
      }
      templates.add(template);
    }
  }
}
