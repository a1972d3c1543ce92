package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each default template family on a line of its own, the word and line bounds, and custom
 * datepatterns: what is cut out of the line and what time it stands for. Times are local in
 * fail2ban's test zone (CET/CEST) with "now" at 2005-08-14 12:00 CEST, as in its sample tests.
 */
class DateDetectorTest {
  static final ZoneId CET = TimeZonePosix.of(TimeZonePosix.CET);
  static final TimeContext AUGUST_2005 = new TimeContext(CET, 1124013600);
  static final Year YEAR = Year.of(2005);

  /** The date text and its time, or null when no template matches. */
  record Found(String text, double time) {}

  static Found find(DateDetector detector, String line) {
    DateSession session = detector.session();
    DateSpan span = session.find(line);
    if (span == null) {
      return null;
    }
    return new Found(span.text(line),
        span.isEmpty() ? Double.NaN : session.parse(span, AUGUST_2005));
  }

  static double local(String isoLocal) {
    return LocalDateTime.parse(isoLocal).atZone(CET).toEpochSecond();
  }

  static double utc(String isoUtc) {
    return LocalDateTime.parse(isoUtc).toEpochSecond(java.time.ZoneOffset.UTC);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // ISO 8601 and simple dates
      "2005-01-23T21:59:59.981746 host sshd: x | 2005-01-23T21:59:59.981746 | 2005-01-23T21:59:59",
      "2005/01/23 21:59:59 host | 2005/01/23 21:59:59 | 2005-01-23T21:59:59",
      "2006.12.21 06:43:20 syslog-ng | 2006.12.21 06:43:20 | 2006-12-21T06:43:20",
      "2005-01-23  8:59:59 two spaces | 2005-01-23  8:59:59 | 2005-01-23T08:59:59",
      "2005-01-23 21:59:59,000 proftpd | 2005-01-23 21:59:59,000 | 2005-01-23T21:59:59",
      // asctime, with and without weekday, fraction and year
      "Jan 23 21:59:59 host sshd[1]: x | Jan 23 21:59:59 | 2005-01-23T21:59:59",
      "Sun Jan 23 21:59:59.011 2005 x | Sun Jan 23 21:59:59.011 2005 | 2005-01-23T21:59:59",
      "Jan  3  1:02:03 padded | Jan  3  1:02:03 | 2005-01-03T01:02:03",
      "sun jan 23 21:59:59 lower | sun jan 23 21:59:59 | 2005-01-23T21:59:59",
      "Sun Jan 23 2005 21:59:59.011 x | Sun Jan 23 2005 21:59:59.011 | 2005-01-23T21:59:59",
      // day first, two-digit years are 20xx
      "23/01/2005 21:59:59 x | 23/01/2005 21:59:59 | 2005-01-23T21:59:59",
      "17-07-08 17:23:25 x | 17-07-08 17:23:25 | 2008-07-17T17:23:25",
      // Apache, CPanel, dashed US dates
      "26-Jul-2007 15:20:52.252 named | 26-Jul-2007 15:20:52.252 | 2007-07-26T15:20:52",
      "05/20/2008:01:57:39 cpanel | 05/20/2008:01:57:39 | 2008-05-20T01:57:39",
      "01-27-2005 16:22:44.252 x | 01-27-2005 16:22:44.252 | 2005-01-27T16:22:44",
      // time only: today, or yesterday when that is still to come today
      "00:00:01 early | 00:00:01 | 2005-08-14T00:00:01",
      "21:59:59 late | 21:59:59 | 2005-08-13T21:59:59",
      // bracketed, MySQL, Tomcat, ASSP, compact
      "<09/16/08@05:03:30> x | <09/16/08@05:03:30> | 2008-09-16T05:03:30",
      "130322 11:46:11 mysqld | 130322 11:46:11 | 2013-03-22T11:46:11",
      "050123  1:59:59 mysqld | 050123  1:59:59 | 2005-01-23T01:59:59",
      "Jan 23, 2005 9:59:59 PM tomcat | Jan 23, 2005 9:59:59 PM | 2005-01-23T21:59:59",
      "Jan 23, 2005 12:59:59 AM tomcat | Jan 23, 2005 12:59:59 AM | 2005-01-23T00:59:59",
      "Apr-27-13 02:33:06 assp | Apr-27-13 02:33:06 | 2013-04-27T02:33:06",
      "20050123T215959 compact | 20050123T215959 | 2005-01-23T21:59:59",
      "20050123 215959 compact | 20050123 215959 | 2005-01-23T21:59:59",
  })
  void defaultTemplatesReadLocalDates(String line, String text, String time) {
    assertEquals(new Found(text, local(time)), find(DateDetector.defaults(YEAR), line));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2005-01-23T20:59:59.252Z iso | 2005-01-23T20:59:59.252Z | 2005-01-23T20:59:59",
      "2005-01-23T15:59:59-05:00 iso | 2005-01-23T15:59:59-05:00 | 2005-01-23T20:59:59",
      "[31/Oct/2006:09:22:55 -0000] apache | 31/Oct/2006:09:22:55 -0000 | 2006-10-31T09:22:55",
      "26-Jul-2007 15:20:52 +0200 roundcube | 26-Jul-2007 15:20:52 +0200 | 2007-07-26T13:20:52",
      "PDT Apr 16 21:05:29 monit | PDT Apr 16 21:05:29 | 2005-04-17T04:05:29",
      "+00:00 Jan 23 21:59:59.011 2005 x | +00:00 Jan 23 21:59:59.011 2005 | 2005-01-23T21:59:59",
      "20050123T215959Z compact | 20050123T215959Z | 2005-01-23T21:59:59",
  })
  void zonesInTheTextWin(String line, String text, String utcTime) {
    assertEquals(new Found(text, utc(utcTime)), find(DateDetector.defaults(YEAR), line));
  }

  @Test
  void epochAndTai64nAreSecondsSinceTheEpoch() {
    DateDetector defaults = DateDetector.defaults(YEAR);
    assertEquals(new Found("1106513999", 1106513999), find(defaults, "1106513999 portsentry"));
    assertEquals(new Found("1106513999.000", 1106513999), find(defaults, "[1106513999.000] nsd"));
    assertEquals(new Found("1106513999.123", 1106513999.123),
        find(defaults, "type=USER_AUTH msg=audit(1106513999.123:987): pid=1"));
    assertEquals(new Found("@4000000041f4104f00000000", 1106513999),
        find(defaults, "@4000000041f4104f00000000 dovecot"));
    assertNull(find(defaults, "123456789 nine digits are no epoch"));
  }

  @Test
  void longEpochReadsMilliAndMicroseconds() {
    DateDetector lepoch = DateDetector.parse("LEPOCH", YEAR);
    assertEquals(new Found("1138049999", 1138049999), find(lepoch, "1138049999 x"));
    assertEquals(new Found("1138049999123", 1138049999.123), find(lepoch, "1138049999123 x"));
    assertEquals(new Found("1138049999123456", 1138049999123456.0 / 1000000),
        find(lepoch, "[1138049999123456] x"));
    DateDetector between = DateDetector.parse("(?<=\\|\\s){LEPOCH}(?=\\s\\|)", YEAR);
    assertEquals(new Found("1138049999000", 1138049999),
        find(between, "auth-error | 1138049999000 | invalid password"));
  }

  @Test
  void missingYearIsThisYearUnlessMoreThanADayAhead() {
    DateDetector defaults = DateDetector.defaults(YEAR);
    assertEquals(local("2005-08-15T12:00:00"), find(defaults, "Aug 15 12:00:00 a day on").time());
    assertEquals(local("2004-08-15T12:00:01"), find(defaults, "Aug 15 12:00:01 more").time());
    assertEquals(local("2004-12-31T23:59:59"), find(defaults, "Dec 31 23:59:59 eve").time());
  }

  @Test
  void wordBoundsKeepDatesOutOfWords() {
    DateDetector defaults = DateDetector.defaults(YEAR);
    assertNull(find(defaults, "Test failure TestJan 23 21:59:59.011 2015 for 192.0.2.1"));
    assertNull(find(defaults, "Test failure Jan 23 21:59:59123456789 for 192.0.2.1"));
    assertEquals("Jan 23 21:59:59", find(defaults, "Test failure Jan 23 21:59:59 for x").text());
    // A word of 3 to 5 letters in front reads as a zone name (%Z under (?i)), nearer the start.
    assertEquals(new Found("Test Jan 23 21:59:59", Double.NaN),
        find(defaults, "Test Jan 23 21:59:59 for 192.0.2.1"));
    assertEquals("Aug 8 11:25:50", find(defaults, "Aug 8 11:25:50 20030f2329b8 x").text());
  }

  @Test
  void lineBeginTemplatesAllowTwoNonWordCharactersInFront() {
    DateDetector anchored = DateDetector.parse("{^LN-BEG}", YEAR);
    assertEquals("Jan 23 21:59:59", find(anchored, "#[Jan 23 21:59:59] x").text());
    assertNull(find(anchored, "## Jan 23 21:59:59 x"));
    assertNull(find(anchored, "hostname Jan 23 21:59:59 x"));
    DateDetector exact = DateDetector.parse("{^LN-BEG}%ExY%Exm%Exd%ExH%ExM%ExS**", YEAR);
    assertEquals("20031230010203", find(exact, "#2003123001020320030101000000").text());
  }

  @Test
  void unboundPatternsMatchInsideWords() {
    DateDetector bound = DateDetector.parse("%H:%M:%S %d.%m.%Y", YEAR);
    assertNull(find(bound, "192.0.2.1x20:00:00 01.02.2003"));
    assertEquals(new Found("20:00:00 01.02.2003", local("2003-02-01T20:00:00")),
        find(DateDetector.parse("**%H:%M:%S %d.%m.%Y**", YEAR), "192.0.2.1x20:00:00 01.02.2003"));
    DateDetector unbound = DateDetector.parse("{UNB}%H:%M:%S", YEAR);
    assertEquals("20:00:00", find(unbound, "ab20:00:00cd").text());
  }

  @Test
  void datePlaceholderTakesEachDefaultTemplate() {
    DateDetector apache = DateDetector.parse("^[^\\[]*\\[({DATE})\n{^LN-BEG}", YEAR);
    assertEquals(new Found("23/Jan/2005:21:59:59 -0500", utc("2005-01-24T02:59:59")),
        find(apache, "192.0.2.1 - - [23/Jan/2005:21:59:59 -0500] \"GET / HTTP/1.1\" 404"));
    DateDetector rfc5424 = DateDetector.parse("^<\\d+>\\d+\\s+{DATE}", YEAR);
    // Without a group of its own, the whole pattern is the date: all of it is cut from the line.
    assertEquals(new Found("<13>1 2005-01-23T21:59:59.003Z", utc("2005-01-23T21:59:59")),
        find(rfc5424, "<13>1 2005-01-23T21:59:59.003Z host app - - msg"));
  }

  @Test
  void noneMatchesNothingAtTheLineStart() {
    DateDetector none = DateDetector.parse("{NONE}", YEAR);
    DateSpan span = none.session().find("Jan 23 21:59:59 the date stays in the line");
    assertTrue(span.isEmpty());
    assertEquals(0, span.start());
    assertThrows(DateLineException.class, () -> none.session().find(""));
  }

  @Test
  void zoneNamesAndOffsetsOfTheExtendedDirectives() {
    DateDetector detector = DateDetector.parse("^%ExY-%Exm-%Exd %H:%M:%S(?: ?%Exz)?", YEAR);
    assertEquals(utc("2005-01-23T14:00:00"), find(detector, "2005-01-23 15:00:00").time());
    assertEquals(utc("2005-01-23T15:00:00"), find(detector, "2005-01-23 15:00:00 GMT").time());
    assertEquals(utc("2005-01-23T13:00:00"), find(detector, "2005-01-23 15:00:00 CEST").time());
    assertEquals(utc("2005-01-23T12:30:00"), find(detector, "2005-01-23 15:00:00 CET+0130").time());
    assertEquals(utc("2005-01-24T01:45:00"), find(detector, "2005-01-23 15:00:00 -10:45").time());
  }

  @Test
  void logTimeZoneAppliesToDatesWithoutZone() {
    DateDetector detector = DateDetector.parse("^%ExY-%Exm-%Exd %H:%M:%S(?: ?%Exz)?", YEAR);
    DateDetector moscow = detector.withLogTimeZone(TimeZoneOffset.parse("UTC+0300"));
    assertEquals(utc("2005-01-23T12:00:00"), find(moscow, "2005-01-23 15:00:00").time());
    assertEquals(utc("2005-01-23T15:00:00"), find(moscow, "2005-01-23 15:00:00 Z").time());
    DateDetector nepal = detector.withLogTimeZone(TimeZoneOffset.parse("NPT"));
    assertEquals(utc("2005-01-23T09:15:00"), find(nepal, "2005-01-23 15:00:00").time());
  }

  @Test
  void textThatIsNoDateGivesNaN() {
    DateDetector defaults = DateDetector.defaults(YEAR);
    assertTrue(Double.isNaN(find(defaults, "Feb 29 10:00:00 no leap day in 2005").time()));
    assertTrue(Double.isNaN(find(defaults, "Jan 23 25:00:00 hour 25").time()));
    assertTrue(Double.isNaN(find(defaults, "2005-01-01 23:59:60 leap second").time()));
    // %Z matches a lower-case word before the date under (?i); that is no zone
    assertEquals(new Found("error Jan 23 21:59:59", Double.NaN),
        find(defaults, "host error Jan 23 21:59:59 sshd: x"));
  }

  @Test
  void linesFail2banFailsOnThrow() {
    DateDetector defaults = DateDetector.defaults(YEAR);
    DateSession session = defaults.session();
    String line = "host ERROR Jan 23 21:59:59 sshd: x"; // ERROR: a zone without offset in fail2ban
    DateSpan span = session.find(line);
    assertEquals("ERROR Jan 23 21:59:59", span.text(line));
    DateLineException unknownZone = assertThrows(DateLineException.class,
        () -> session.parse(span, AUGUST_2005));
    assertTrue(unknownZone.getMessage().contains("'ERROR'"), unknownZone.getMessage());
    DateDetector monthOnly = DateDetector.parse("^%Y-%m(?:-%d)? %H:%M", YEAR);
    DateSession other = monthOnly.session();
    DateSpan noDay = other.find("2005-01 10:00 x");
    assertThrows(DateLineException.class, () -> other.parse(noDay, AUGUST_2005));
  }

  @Test
  void badPatternsAreRefusedWithTheReason() {
    DatePatternException noSeconds = assertThrows(DatePatternException.class,
        () -> DateDetector.parse("^%s", YEAR));
    assertEquals("datepattern '^%s': '%s' is not a date directive fail2ban knows (fail2ban 1.0.2"
        + " has no %s; write EPOCH for seconds since the epoch)", noSeconds.getMessage());
    assertThrows(DatePatternException.class, () -> DateDetector.parse("100% %H", YEAR));
    assertThrows(DatePatternException.class, () -> DateDetector.parse("%H:%M %", YEAR));
    DatePatternException twice = assertThrows(DatePatternException.class,
        () -> DateDetector.parse("%H:%M:%S\n%H:%M:%S", YEAR));
    assertTrue(twice.getMessage().contains("already a date template"), twice.getMessage());
    DatePatternException regex = assertThrows(DatePatternException.class,
        () -> DateDetector.parse("(%H:%M", YEAR));
    assertTrue(regex.getMessage().startsWith("datepattern '(%H:%M': its regex does not compile"),
        regex.getMessage());
    assertThrows(DatePatternException.class, () -> DateDetector.parse("%d %d", YEAR));
  }

  @Test
  void describesThePatternLikeFail2banRegex() {
    assertEquals("Default Detectors", DateDetector.defaults(YEAR).describe());
    assertEquals("Default Detectors", DateDetector.parse("{^LN-BEG}", YEAR).describe());
    assertEquals("Default Detectors", DateDetector.parse("", YEAR).describe());
    assertEquals("^Year-Month-Day 24hour:Minute:Second",
        DateDetector.parse("^%Y-%m-%d %H:%M:%S", YEAR).describe());
    assertEquals("{^LN-BEG}TAI64N", DateDetector.parse("{^LN-BEG}TAI64N", YEAR).describe());
  }

  @Test
  void lineBeginDefaultsAreTheAnchoredOnes() {
    DateDetector anchored = DateDetector.parse("{^LN-BEG}", YEAR);
    assertEquals(17, anchored.templates().size());
    for (DateTemplate template : anchored.templates()) {
      assertTrue(template.anchored(), template.name());
    }
    assertEquals(31, DateDetector.defaults(YEAR).templates().size());
    assertEquals(31, DateDetector.parse("{DEFAULT}", YEAR).templates().size());
  }
}
