package dev.vouch.filter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * fail2ban's default date templates ({@code DateDetectorCache}): the seventeen patterns of {@code
 * DEFAULT_TEMPLATES} and, in front of them, a {@code {^LN-BEG}}-anchored twin of each one that is
 * not anchored already, with weight 100 so that it keeps its place when templates are reordered.
 */
final class DateDefaults {
  /** {@code DateDetectorCache.DEFAULT_TEMPLATES}, in order. */
  static final List<String> PATTERNS = List.of(
      // ISO 8601 and simple dates: 2005-01-23T21:59:59.981746, 2005/01/23 21:59:59, 2006.12.21 ...
      "%ExY(?P<_sep>[-/.])%m(?P=_sep)%d(?:T|  ?)%H:%M:%S(?:[.,]%f)?(?:\\s*%z)?",
      // asctime with optional weekday, fraction and year: Sun Jan 23 21:59:59.011 2005
      "(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
      // asctime with the year after the day: Sun Jan 23 2005 21:59:59.011
      "(?:%a )?%b %d %ExY %k:%M:%S(?:\\.%f)?",
      // 23/01/2005 21:59:59, 23/01/05 21:59:59, 17-07-2008 17:23:25
      "%d(?P<_sep>[-/])%m(?P=_sep)(?:%ExY|%Exy) %k:%M:%S",
      // Apache: [31/Oct/2006:09:22:55 -0000], 26-Jul-2007 15:20:52.252 +0200
      "%d(?P<_sep>[-/])%b(?P=_sep)%ExY[ :]?%H:%M:%S(?:\\.%f)?(?: %z)?",
      // CPanel: 05/20/2008:01:57:39
      "%m/%d/%ExY:%H:%M:%S",
      // 01-27-2012 16:22:44.252
      "%m-%d-%ExY %k:%M:%S(?:\\.%f)?",
      "EPOCH",
      // time only
      "{^LN-BEG}%H:%M:%S",
      // <09/16/08@05:03:30>
      "^<%m/%d/%Exy@%H:%M:%S>",
      // MySQL: 130322 11:46:11
      "%Exy%Exm%Exd  ?%H:%M:%S",
      // Apache Tomcat
      "%b %d, %ExY %I:%M:%S %p",
      // ASSP: Apr-27-13 02:33:06
      "^%b-%d-%Exy %k:%M:%S",
      // 20050123T215959, 20050123 215959, 20050123  85959
      "%ExY%Exm%Exd(?:T|  ?)%ExH%ExM%ExS(?:[.,]%f)?(?:\\s*%z)?",
      // prefixed with an optional zone name (monit): PDT Apr 16 21:05:29
      "(?:%Z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
      // +00:00 Jan 23 21:59:59.011 2005
      "(?:%z )?(?:%a )?%b %d %k:%M:%S(?:\\.%f)?(?: %ExY)?",
      "TAI64N");

  private static final double ANCHORED_WEIGHT = 100.0;

  private final DateDirectives directives;
  private final List<DateTemplate> base;
  private final Set<String> baseKeys = new HashSet<>();
  private final Set<String> anchoredKeys = new HashSet<>();
  private final List<DateTemplate> all;

  DateDefaults(DateDirectives directives) {
    this.directives = directives;
    List<DateTemplate> templates = new ArrayList<>(PATTERNS.size());
    for (String pattern : PATTERNS) {
      baseKeys.add(DatePatternText.key(pattern));
      templates.add(template(pattern));
    }
    this.base = List.copyOf(templates);
    List<DateTemplate> unanchored = new ArrayList<>();
    for (DateTemplate template : base) {
      String name = template.name();
      if (!name.startsWith(DateBounds.LINE_BEGIN_MARK) && !name.startsWith("^")) {
        unanchored.add(template);
        anchoredKeys.add(DatePatternText.key(anchor(template.pattern().orElse(name))));
      }
    }
    List<DateTemplate> anchored = new ArrayList<>();
    for (DateTemplate template : unanchored) {
      anchored.add(derived(template, DateDefaults::anchor));
    }
    anchored.addAll(base);
    this.all = List.copyOf(anchored);
  }

  private static String anchor(String pattern) {
    return DateBounds.LINE_BEGIN_MARK + pattern;
  }

  /** The seventeen templates, unanchored as written ({@code defaultTemplates}). */
  List<DateTemplate> base() {
    return base;
  }

  /** The anchored twins, then the seventeen ({@code DateDetectorCache.templates}). */
  List<DateTemplate> all() {
    return all;
  }

  /**
   * fail2ban's {@code _getPatternTemplate}: EPOCH, LEPOCH and TAI64N (bare, {@code ^}- or {@code
   * {^LN-BEG}}-prefixed) name their templates, a pattern with {@code {EPOCH}} or {@code {LEPOCH}}
   * in it is an epoch regex, and anything else is a {@code %}-directive pattern.
   */
  DateTemplate template(String pattern) {
    return template(pattern, DatePatternText.key(pattern));
  }

  DateTemplate template(String pattern, String key) {
    DateTemplate template = uncached(pattern, key);
    if (anchoredKeys.contains(key)) {
      // fail2ban caches templates by key and raises the anchored defaults' weight on the cached
      // object, so a datepattern line that is one of them (dovecot's {^LN-BEG}TAI64N) gets it.
      return template.withWeight(ANCHORED_WEIGHT).withScanner();
    }
    return baseKeys.contains(key) ? template.withScanner() : template;
  }

  private DateTemplate uncached(String pattern, String key) {
    if (key.contains("EPOCH")) {
      if (DatePatternText.hasEpoch(pattern)) {
        return DateTemplate.epochPattern(pattern, key.contains("LEPOCH"));
      }
      switch (key) {
        case "EPOCH", "{^LN-BEG}EPOCH", "^EPOCH" -> {
          return DateTemplate.epoch(!key.equals("EPOCH"), false);
        }
        case "LEPOCH", "{^LN-BEG}LEPOCH", "^LEPOCH" -> {
          return DateTemplate.epoch(!key.equals("LEPOCH"), true);
        }
        default -> {
          // a pattern that merely contains the word
        }
      }
    }
    switch (key) {
      case "TAI64N", "{^LN-BEG}TAI64N", "^TAI64N" -> {
        return DateTemplate.tai64n(!key.equals("TAI64N"));
      }
      default -> {
        return DateTemplate.pattern(pattern, directives);
      }
    }
  }

  /**
   * fail2ban's {@code _getAnchoredTemplate}: a new template from an existing one, with {@code
   * wrap} applied to its pattern, or to its name for the epoch and TAI64N templates (so that
   * {@code {DATE}} turns the default "Epoch" into the literal word unless the wrapped name is
   * itself a template name such as {@code ^Epoch}).
   */
  DateTemplate derived(DateTemplate template, UnaryOperator<String> wrap) {
    Optional<String> pattern = template.pattern();
    return pattern.isPresent() ? template(wrap.apply(pattern.get())) : template(wrap.apply(
        template.name()));
  }
}
