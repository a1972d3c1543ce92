package dev.vouch.filter;

import java.time.ZoneId;
import java.util.Objects;

/**
 * What turning a date text into a time needs besides the text: the local zone of the process
 * fail2ban would run in (its {@code TZ}, or test-filter's {@code --tz}) and "now", as epoch
 * seconds, for dates that lack the year or the day.
 *
 * <p>{@code logtimezone} is not here: it belongs to the jail, so it is set on the {@link
 * DateDetector}. It cannot replace {@code zone} either, because fail2ban still compares a date
 * read in {@code logtimezone} with the local "now" when it guesses a missing year.
 */
record TimeContext(ZoneId zone, double now) {
  TimeContext {
    Objects.requireNonNull(zone, "zone");
    if (!Double.isFinite(now)) {
      throw new IllegalArgumentException("now must be finite: " + now);
    }
  }

  // Written out: a record's own equals runs through method handles, which the quick JIT of a
  // command-line run leaves slow, and the date parser's cache compares contexts on every line.
  @Override
  public boolean equals(Object other) {
    return other instanceof TimeContext context && Double.compare(now, context.now) == 0
        && zone.equals(context.zone);
  }

  @Override
  public int hashCode() {
    return 31 * zone.hashCode() + Double.hashCode(now);
  }
}
