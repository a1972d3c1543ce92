package dev.vouch.filter;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the named groups of a date match into epoch seconds, as fail2ban's {@code
 * reGroupDictStrptime} does, quirks included: two-digit years are 20xx, a missing year is this
 * year or the last one, a missing date is today or yesterday, fractions of a second are dropped,
 * and a zone from the text wins over {@code logtimezone}.
 */
final class DateStrptime {
  private static final List<String> MONTHS = List.of("", "jan", "feb", "mar", "apr", "may", "jun",
      "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> FULL_MONTHS = List.of("", "january", "february", "march",
      "april", "may", "june", "july", "august", "september", "october", "november", "december");
  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
  private static final List<String> FULL_DAYS = List.of("monday", "tuesday", "wednesday",
      "thursday", "friday", "saturday", "sunday");
  private static final int MIN_YEAR = 1;
  private static final int MAX_YEAR = 9999;

  /** Python's ValueError, which fail2ban catches: the date counts as unparsable. */
  private static final class Unparsable extends Exception {
    Unparsable() {
      super(null, null, false, false);
    }
  }

  private DateStrptime() {}

  /**
   * The time of the date whose groups are {@code groups} (named groups in the order of their
   * numbers; null for a group that did not take part), or NaN when fail2ban could not parse it.
   *
   * @param logTimeZone fail2ban's {@code default_tz}: the zone of dates without one
   * @param mktime converts local times (the other dates) to epoch seconds
   * @throws DateLineException where fail2ban fails the whole line
   */
  static Time epoch(Map<String, String> groups, TimeContext context,
      Optional<TimeZoneOffset> logTimeZone, DateMktime mktime) {
    try {
      return convert(groups, context, logTimeZone, mktime);
    } catch (Unparsable e) {
      return new Time(Double.NaN, false);
    }
  }

  /**
   * A date's epoch seconds, and whether the time moves second for second with %S within the
   * date's minute: it does (a zone's offset changes on the minute) unless %S is a leap second
   * or the time lies within two minutes of where fail2ban's guess of a missing year or day
   * turns.
   */
  record Time(double epoch, boolean secondsLinear) {}

  /** Where a guess turns: more than two minutes away, a change of the seconds cannot cross it. */
  private static boolean farFrom(LocalDateTime time, LocalDateTime turn) {
    return Math.abs(time.toEpochSecond(ZoneOffset.UTC) - turn.toEpochSecond(ZoneOffset.UTC))
        > 120;
  }

  private static Time convert(Map<String, String> groups, TimeContext context,
      Optional<TimeZoneOffset> logTimeZone, DateMktime mktime) throws Unparsable {
    Integer year = null;
    Integer month = null;
    Integer day = null;
    Integer zoneMinutes = null;
    Integer weekday = null;
    Integer julian = null;
    Integer weekOfYear = null;
    boolean weekStartsMonday = false;
    int hour = 0;
    int minute = 0;
    int second = 0;
    for (Map.Entry<String, String> group : groups.entrySet()) {
      String value = group.getValue();
      if (value == null) {
        continue;
      }
      switch (group.getKey()) {
        case "y" -> {
          int twoDigits = integer(value);
          year = twoDigits <= 2000 ? twoDigits + 2000 : twoDigits;
        }
        case "Y" -> year = integer(value);
        case "m" -> month = integer(value);
        case "B" -> month = index(FULL_MONTHS, value);
        case "b" -> month = index(MONTHS, value);
        case "d" -> day = integer(value);
        case "H" -> hour = integer(value);
        case "I" -> hour = twelveHour(integer(value), groups);
        case "M" -> minute = integer(value);
        case "S" -> second = integer(value);
        case "A" -> weekday = index(FULL_DAYS, value);
        case "a" -> weekday = index(DAYS, value);
        case "w" -> weekday = Math.floorMod(integer(value) - 1, 7);
        case "j" -> julian = integer(value);
        case "U", "W" -> {
          weekOfYear = integer(value);
          weekStartsMonday = group.getKey().equals("W");
        }
        case "z", "Z" -> zoneMinutes = zone(value);
        default -> {
          // %f is dropped (fail2ban calls this with msec=False); other groups are not fields
        }
      }
    }

    LocalDateTime now = null;
    boolean assumeYear = false;
    if (year == null) {
      now = localNow(context);
      year = now.getYear();
      assumeYear = true;
    }
    if (month == null || day == null) {
      if (julian == null && weekOfYear != null && weekday != null) {
        julian = julianFromWeek(year, weekOfYear, weekday, weekStartsMonday);
      }
      if (julian != null) {
        LocalDate date = date(year, 1, 1).plusDays(julian - 1L);
        checkYear(date.getYear());
        year = date.getYear();
        month = date.getMonthValue();
        day = date.getDayOfMonth();
      }
    }
    boolean assumeToday = false;
    if (month == null && day == null) {
      if (now == null) {
        now = localNow(context);
      }
      month = now.getMonthValue();
      day = now.getDayOfMonth();
      assumeToday = true;
    }
    if (month == null || day == null) {
      throw new DateLineException("fail2ban cannot build a date with a " + (month == null
          ? "day but no month" : "month but no day") + " (TypeError); it drops the line");
    }

    LocalDateTime result = dateTime(year, month, day, hour, minute, second);
    if (zoneMinutes == null && logTimeZone.isPresent()) {
      zoneMinutes = logTimeZone.get().minutes();
    }
    if (zoneMinutes != null) {
      // Now the date is UTC, yet fail2ban still compares it with the local "now" below.
      result = inRange(result.minusMinutes(zoneMinutes));
    }
    boolean linear = second <= 59;
    if (assumeToday) {
      if (now == null) {
        now = localNow(context);
      }
      linear &= farFrom(result, now);
      if (result.isAfter(now)) {
        result = inRange(result.minusDays(1)); // rollover at midnight: it was yesterday
      }
    }
    if (assumeYear) {
      if (now == null) {
        now = localNow(context);
      }
      LocalDateTime turn = inRange(now.plusDays(1));
      linear &= farFrom(result, turn);
      if (result.isAfter(turn)) {
        // Last year; fail2ban resets month and day to the unshifted ones (datetime.replace).
        result = dateTime(year - 1, month, day, result.getHour(), result.getMinute(),
            result.getSecond());
      }
    }
    if (zoneMinutes != null) {
      return new Time(result.toEpochSecond(ZoneOffset.UTC), linear);
    }
    return new Time(mktime.epochSecond(result, context.zone()), linear);
  }

  /** %I with %p: 12 AM is midnight, 12 PM noon; no %p at all means AM. */
  private static int twelveHour(int hour, Map<String, String> groups) {
    String ampm = groups.containsKey("p") ? groups.get("p") : "";
    if (ampm == null) {
      throw new DateLineException("fail2ban reads an optional %p that is absent as None and"
          + " fails on it (AttributeError); it drops the line");
    }
    ampm = ampm.toLowerCase(Locale.ROOT);
    if (ampm.isEmpty() || ampm.equals("am")) {
      return hour == 12 ? 0 : hour;
    }
    if (ampm.equals("pm")) {
      return hour != 12 ? hour + 12 : hour;
    }
    return hour;
  }

  private static int zone(String value) throws Unparsable {
    if (value.equals("Z") || value.equals("UTC") || value.equals("GMT")) {
      return 0;
    }
    TimeZoneOffset.Reading reading = TimeZoneOffset.read(value);
    if (reading instanceof TimeZoneOffset.Known known) {
      return known.offset().minutes();
    }
    if (reading instanceof TimeZoneOffset.UnknownAbbreviation unknown) {
      throw new DateLineException("fail2ban has no offset for the zone '"
          + unknown.abbreviation() + "' (KeyError); it drops the line");
    }
    throw new Unparsable();
  }

  /** Python's {@code _calc_julian_from_U_or_W}; weekday counts from Monday = 0. */
  private static int julianFromWeek(int year, int weekOfYear, int weekday,
      boolean weekStartsMonday) throws Unparsable {
    int firstWeekday = date(year, 1, 1).getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue();
    int dayOfWeek = weekday;
    if (!weekStartsMonday) {
      firstWeekday = (firstWeekday + 1) % 7;
      dayOfWeek = (dayOfWeek + 1) % 7;
    }
    int week0Length = (7 - firstWeekday) % 7;
    if (weekOfYear == 0) {
      return 1 + dayOfWeek - firstWeekday;
    }
    return 1 + week0Length + 7 * (weekOfYear - 1) + dayOfWeek;
  }

  /** Python's {@code datetime.fromtimestamp(now)}: local, rounded half-even to microseconds. */
  static LocalDateTime localNow(TimeContext context) {
    double now = context.now();
    long seconds = (long) Math.floor(now);
    long micros = (long) Math.rint((now - seconds) * 1e6);
    if (micros >= 1_000_000) {
      seconds++;
      micros -= 1_000_000;
    }
    ZoneOffset offset = context.zone().getRules().getOffset(Instant.ofEpochSecond(seconds));
    return LocalDateTime.ofEpochSecond(seconds, (int) (micros * 1000), offset);
  }

  private static LocalDate date(int year, int month, int day) throws Unparsable {
    checkYear(year);
    try {
      return LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      throw new Unparsable();
    }
  }

  private static LocalDateTime dateTime(int year, int month, int day, int hour, int minute,
      int second) throws Unparsable {
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      throw new Unparsable();
    }
    return date(year, month, day).atTime(hour, minute, second);
  }

  private static void checkYear(int year) throws Unparsable {
    if (year < MIN_YEAR || year > MAX_YEAR) {
      throw new Unparsable();
    }
  }

  /** Python's datetime arithmetic raises OverflowError (not caught by fail2ban) past 1..9999. */
  private static LocalDateTime inRange(LocalDateTime time) {
    if (time.getYear() < MIN_YEAR || time.getYear() > MAX_YEAR) {
      throw new DateLineException("the date leaves the years 1..9999 once its zone is applied"
          + " (OverflowError in fail2ban); it drops the line");
    }
    return time;
  }

  /** {@code list.index(value.lower())}: ValueError when absent. */
  private static int index(List<String> names, String value) throws Unparsable {
    int index = names.indexOf(value.toLowerCase(Locale.ROOT));
    if (index < 0) {
      throw new Unparsable();
    }
    return index;
  }

  /** Python's {@code int(str)}: surrounding whitespace allowed, any Unicode decimal digits. */
  private static int integer(String value) throws Unparsable {
    String digits = value.strip();
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new Unparsable();
    }
  }
}
