package dev.vouch.filter;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * {@code time.mktime} on a local date and time, as glibc answers it for fail2ban. Local times
 * that occur twice (the hour the clocks go back) depend on history: glibc's mktime starts its
 * search from the offset its previous call found, so it keeps summer time through the repeated
 * hour when the lines before were in summer time. This keeps that offset the same way. A local
 * time that does not exist (the hour the clocks go forward) is read with the offset from before
 * the change, like glibc and like {@code java.time}.
 *
 * <p>Mutable, confined to the {@link DateSession} that owns it. fail2ban's process has one such
 * offset for all its jails; a session has its own and starts as glibc would after reading a date
 * in standard time.
 */
final class DateMktime {
  private Integer lastOffsetSeconds;

  /** Epoch seconds of {@code local} in {@code zone}. */
  long epochSecond(LocalDateTime local, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    ZoneOffset offset;
    if (offsets.size() == 1) {
      offset = offsets.get(0);
    } else if (offsets.isEmpty()) {
      offset = rules.getTransition(local).getOffsetBefore();
    } else {
      offset = offsets.get(1);
      for (ZoneOffset candidate : offsets) {
        if (lastOffsetSeconds != null && candidate.getTotalSeconds() == lastOffsetSeconds) {
          offset = candidate;
        }
      }
    }
    lastOffsetSeconds = offset.getTotalSeconds();
    return local.toEpochSecond(offset);
  }
}
