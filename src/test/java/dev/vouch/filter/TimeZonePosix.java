package dev.vouch.filter;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.time.zone.ZoneRulesProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Java zones for POSIX TZ strings such as fail2ban's test zone {@code
 * CET-01CEST-02,M3.5.0,M10.5.0}, so that a test can run Python and Java under the very same rules
 * (glibc applies such a rule to every year; Europe/Paris differs in the hour of the autumn
 * change).
 *
 * <p>Handles {@code STDoffset[DST[offset],Mm.w.d[/time],Mm.w.d[/time]]}, which is all the tests
 * need. The zones are registered with java.time under their TZ string, once per JVM.
 */
final class TimeZonePosix {
  private static final Pattern TZ = Pattern.compile(
      "([A-Za-z]{3,})([+-]?\\d{1,2}(?::\\d{2})?)(?:([A-Za-z]{3,})([+-]?\\d{1,2}(?::\\d{2})?)?"
          + ",M(\\d{1,2})\\.(\\d)\\.(\\d)(?:/(\\d{1,2}))?"
          + ",M(\\d{1,2})\\.(\\d)\\.(\\d)(?:/(\\d{1,2}))?)?");
  /** The TZ strings the tests use; java.time asks a provider for its zone ids only once. */
  static final String CET = "CET-01CEST-02,M3.5.0,M10.5.0";
  static final String US_EASTERN = "EST5EDT,M3.2.0,M11.1.0";
  static final String UTC = "UTC0";
  private static final Map<String, ZoneRules> RULES =
      Map.of(CET, rules(CET), US_EASTERN, rules(US_EASTERN), UTC, rules(UTC));

  private TimeZonePosix() {}

  /** The zone of one of the TZ strings above. */
  static ZoneId of(String tz) {
    if (!RULES.containsKey(tz)) {
      throw new IllegalArgumentException("add " + tz + " to TimeZonePosix first");
    }
    Provider.ensureRegistered();
    return ZoneId.of(id(tz));
  }

  private static String id(String tz) {
    return "Posix/" + tz.replace(',', '_').replace('/', '_');
  }

  private static ZoneRules rules(String tz) {
    Matcher m = TZ.matcher(tz);
    if (!m.matches()) {
      throw new IllegalArgumentException("unsupported TZ string: " + tz);
    }
    ZoneOffset standard = offset(m.group(2));
    if (m.group(3) == null) {
      return ZoneRules.of(standard);
    }
    ZoneOffset daylight = m.group(4) == null
        ? ZoneOffset.ofTotalSeconds(standard.getTotalSeconds() + 3600) : offset(m.group(4));
    ZoneOffsetTransitionRule start = rule(m, 5, standard, daylight);
    ZoneOffsetTransitionRule end = rule(m, 9, daylight, standard);
    List<ZoneOffsetTransition> transitions = new ArrayList<>();
    for (int year = 1900; year <= 2037; year++) {
      transitions.add(start.createTransition(year));
      transitions.add(end.createTransition(year));
    }
    transitions.sort((a, b) -> a.getInstant().compareTo(b.getInstant()));
    return ZoneRules.of(standard, standard, List.of(), transitions, List.of(start, end));
  }

  /** POSIX offsets count west of Greenwich: CET-01 is UTC+1. */
  private static ZoneOffset offset(String text) {
    String[] parts = text.split(":");
    int hours = Integer.parseInt(parts[0]);
    int minutes = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
    int sign = text.startsWith("-") ? 1 : -1;
    return ZoneOffset.ofTotalSeconds(sign * (Math.abs(hours) * 3600 + minutes * 60));
  }

  /** {@code Mm.w.d/hh}: day d (0 = Sunday) of week w (5 = last) of month m, at hh local time. */
  private static ZoneOffsetTransitionRule rule(Matcher m, int group, ZoneOffset before,
      ZoneOffset after) {
    Month month = Month.of(Integer.parseInt(m.group(group)));
    int week = Integer.parseInt(m.group(group + 1));
    int day = Integer.parseInt(m.group(group + 2));
    int hour = m.group(group + 3) == null ? 2 : Integer.parseInt(m.group(group + 3));
    DayOfWeek dayOfWeek = DayOfWeek.of(day == 0 ? 7 : day);
    int dayOfMonth = week == 5 ? -1 : 1 + 7 * (week - 1);
    return ZoneOffsetTransitionRule.of(month, dayOfMonth, dayOfWeek, LocalTime.of(hour, 0), false,
        ZoneOffsetTransitionRule.TimeDefinition.WALL, before, before, after);
  }

  /** Serves the zones of {@link #RULES}. */
  private static final class Provider extends ZoneRulesProvider {
    private static final Provider INSTANCE = new Provider();

    static {
      ZoneRulesProvider.registerProvider(INSTANCE);
    }

    static void ensureRegistered() {
      // class initialisation registers the provider exactly once
    }

    @Override
    protected Set<String> provideZoneIds() {
      return Set.of(id(CET), id(US_EASTERN), id(UTC));
    }

    @Override
    protected ZoneRules provideRules(String zoneId, boolean forCaching) {
      for (Map.Entry<String, ZoneRules> entry : RULES.entrySet()) {
        if (id(entry.getKey()).equals(zoneId)) {
          return entry.getValue();
        }
      }
      throw new IllegalStateException("unknown zone " + zoneId);
    }

    @Override
    protected NavigableMap<String, ZoneRules> provideVersions(String zoneId) {
      return new TreeMap<>(Map.of("1", provideRules(zoneId, false)));
    }
  }
}
