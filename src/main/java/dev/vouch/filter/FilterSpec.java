package dev.vouch.filter;

import java.util.List;
import java.util.Optional;

/**
 * Everything a filter is made of, after config reading: the regexes as written (with their
 * file:line) and the options that change how they run.
 *
 * @param name the filter's name, for messages
 * @param datepattern fail2ban's {@code datepattern} value, empty for the default templates
 * @param logtimezone fail2ban's {@code logtimezone}: the zone of dates that carry none
 */
public record FilterSpec(
    String name,
    Optional<RegexSource> prefregex,
    List<RegexSource> failregex,
    List<RegexSource> ignoreregex,
    int maxlines,
    Optional<String> datepattern,
    UseDns useDns,
    Optional<String> logtimezone) {

  public FilterSpec {
    failregex = List.copyOf(failregex);
    ignoreregex = List.copyOf(ignoreregex);
    if (maxlines < 1) {
      throw new IllegalArgumentException("maxlines must be at least 1");
    }
  }
}
