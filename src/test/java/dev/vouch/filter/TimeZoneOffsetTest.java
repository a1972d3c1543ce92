package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeZoneOffsetTest {
  @ParameterizedTest(name = "{0} = {1} min")
  @CsvSource({
      "UTC, 0", "GMT, 0", "Z, 0", "UTC+0300, 180", "UTC-0430, -270", "GMT+12, 720",
      "+0100, 60", "-01, -60", "+05:30, 330", "CET, 60", "CEST, 120", "CEST-01, 60",
      "CET+0130, 150", "NPT, 345", "NST, -210", "A, 60", "EST, -300",
  })
  void readsLogTimeZones(String text, int minutes) {
    assertEquals(new TimeZoneOffset(minutes), TimeZoneOffset.parse(text));
  }

  @Test
  void refusesWhatFail2banRefuses() {
    DatePatternException wrong = assertThrows(DatePatternException.class,
        () -> TimeZoneOffset.parse("WRONG-TZ"));
    assertEquals("datepattern 'WRONG-TZ': logtimezone: not a zone fail2ban reads. Expected UTC,"
        + " GMT, Z or an abbreviation such as CET, optionally followed by an offset: UTC+0200,"
        + " CET+01, -04:30", wrong.getMessage());
    assertThrows(DatePatternException.class, () -> TimeZoneOffset.parse("Europe/Paris"));
    assertThrows(DatePatternException.class, () -> TimeZoneOffset.parse("+3"));
  }

  @Test
  void unknownAbbreviationsAndLowerCaseFailDifferently() {
    // fail2ban raises KeyError for the first (the line is dropped), ValueError for the second.
    assertInstanceOf(TimeZoneOffset.UnknownAbbreviation.class, TimeZoneOffset.read("XYZ"));
    assertInstanceOf(TimeZoneOffset.Malformed.class, TimeZoneOffset.read("cet"));
  }
}
