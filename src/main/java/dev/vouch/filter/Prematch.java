package dev.vouch.filter;

import java.util.List;
import java.util.Map;

/**
 * The part of processing one line of a single-line filter that needs no state: the date found
 * and cut out, and which failregexes matched with their groups. It may be computed on any
 * thread; {@link FilterSession#finish} then completes it in log order.
 *
 * @param template the date template that found the date, or null
 * @param ignored an ignoreregex matched before any failregex ran
 * @param hits the failregexes that matched, in order (at most one unless testing all)
 */
record Prematch(LineTuple tuple, FilterSession.DateValue date, String template,
    boolean prefregexMatched, boolean ignored, List<Hit> hits) {

  /** A line fail2ban drops because it cannot read its date (a line error in its detector). */
  static Prematch dropped(String line) {
    return new Prematch(LineTuple.undated(line), FilterSession.DateValue.NONE, null, false,
        false, List.of());
  }

  /**
   * Nothing matched, not even the prefregex or an ignoreregex: all the in-order part takes of
   * such a line is its date and template ({@link FilterSession#finishMiss}).
   */
  boolean isMiss() {
    return hits.isEmpty() && !ignored && !prefregexMatched;
  }

  Prematch withDate(FilterSession.DateValue date) {
    return new Prematch(tuple, date, template, prefregexMatched, ignored, hits);
  }

  /**
   * A failregex that matched: its failure's data, built where it matched (the prefregex's groups
   * but its content, then the failregex's), for {@link FilterSession#finish} to take once; and
   * whether an ignoreregex matched too.
   */
  record Hit(int index, Map<String, Object> failure, boolean ignored) {
    static Hit of(int index, FilterRegex.Captured prefix, FilterRegex.Captured groups,
        boolean ignored) {
      Map<String, Object> own = groups.regex().groups(groups);
      if (prefix != null) {
        // The prefregex's few groups go into the failregex's many (which win on a clash), rather
        // than the many into a copy of the few.
        prefix.regex().addGroups(prefix, own);
      }
      return new Hit(index, own, ignored);
    }
  }
}
