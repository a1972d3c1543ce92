package dev.vouch.filter;

import static dev.vouch.filter.DateDetectorTest.AUGUST_2005;
import static dev.vouch.filter.DateDetectorTest.YEAR;
import static dev.vouch.filter.DateDetectorTest.utc;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The state a reader keeps: the template of the last line, reordering, glibc's last offset. */
class DateSessionTest {
  private static final long SECOND = 1_000_000_000L;

  private static String text(DateSession session, String line) {
    DateSpan span = session.find(line);
    return span == null ? null : span.text(line);
  }

  @Test
  void theNearestDateWinsWhenDatesMoveIntoTheMessage() {
    DateSession session = DateDetector.defaults(YEAR).session();
    assertEquals("Sep 16 21:30:26", text(session,
        "server mysqld[1020]: Sep 16 21:30:26 server mysqld: 030916 21:30:26 [Warning] denied"));
    assertEquals("030324  0:04:00", text(session,
        "server mysqld[1000]: 030324  0:04:00 [Warning] denied; text 2003-03-07 17:05:01 x"));
    assertEquals("2005-10-07 06:09:42",
        text(session, "server mysqld[5906]: 2005-10-07 06:09:42 5907 [Warning] denied"));
  }

  @Test
  void aLineWithTwoDatesKeepsTheOneWhereTheLastLineHadItsDate() {
    DateSession session = DateDetector.parse("%d %H:%M:%S\n^never%H", YEAR).session();
    assertEquals("17 09:00:00", text(session, "xxxxxxxxxxxxx: 17 09:00:00 q"));
    // Same surroundings at the same place: fail2ban searches only there and takes that date.
    assertEquals("17 09:00:00", text(session, "15 10:00:00 a: 17 09:00:00 q"));
    assertEquals("15 10:00:00", text(session, "15 10:00:00 q"));
  }

  @Test
  void winnersMoveUpAndHitsAreCounted() {
    DateDetector detector = DateDetector.parse("{^LN-BEG}", YEAR);
    DateSession session = detector.session();
    for (int i = 0; i < 3; i++) {
      text(session, "Jan 23 21:59:59 host sshd[1]: x");
    }
    text(session, "2005-01-23 21:59:59 host sshd[1]: x");
    List<DateSession.Hits> hits = session.hits();
    assertEquals(new DateSession.Hits(
        "{^LN-BEG}(?:DAY )?MON Day %k:Minute:Second(?:\\.Microseconds)?(?: ExYear)?", 3),
        hits.get(0));
    assertEquals(1, hits.get(1).hits());
    assertEquals(detector.templates().size(), hits.size());
  }

  @Test
  void aTemplateUnusedForFiveMinutesGivesWayToALighterOne() {
    AtomicLong clock = new AtomicLong();
    DateDetector detector = DateDetector.parse("^a%H:%M:%S\n^b%H:%M:%S\n^c%H:%M:%S", YEAR);
    DateSession session = new DateSession(detector, clock::get);
    text(session, "a10:00:00");
    clock.set(301 * SECOND);
    text(session, "c10:00:00"); // to the first unused place
    text(session, "c10:00:01");
    assertEquals(List.of("^a24hour:Minute:Second", "^c24hour:Minute:Second",
        "^b24hour:Minute:Second"), names(session));
    clock.set(302 * SECOND);
    text(session, "b10:00:00"); // lighter than c, which was used a second ago: stays
    assertEquals("^b24hour:Minute:Second", names(session).get(2));
    text(session, "a10:00:00");
    clock.set(700 * SECOND);
    text(session, "b10:00:01"); // c unused for 399 s: b takes its place
    assertEquals(List.of("^a24hour:Minute:Second", "^b24hour:Minute:Second",
        "^c24hour:Minute:Second"), names(session));
  }

  private static List<String> names(DateSession session) {
    return session.hits().stream().map(DateSession.Hits::template).toList();
  }

  @Test
  void theRepeatedHourKeepsTheOffsetOfTheLinesBefore() {
    DateDetector detector = DateDetector.parse("^%Y-%m-%d %H:%M:%S", YEAR);
    String repeated = "2005-10-30 01:30:00 x"; // CET-01CEST-02,M3.5.0,M10.5.0: 01:00-02:00 twice
    DateSession fresh = detector.session();
    assertEquals(utc("2005-10-30T00:30:00"), parse(fresh, repeated));
    DateSession summer = detector.session();
    assertEquals(utc("2005-10-29T22:59:59"), parse(summer, "2005-10-30 00:59:59 x"));
    assertEquals(utc("2005-10-29T23:30:00"), parse(summer, repeated));
    assertEquals(utc("2005-10-30T01:00:00"), parse(summer, "2005-10-30 02:00:00 x"));
    assertEquals(utc("2005-10-30T00:30:00"), parse(summer, repeated));
    // The hour that does not exist in spring reads with winter's offset.
    assertEquals(utc("2005-03-27T01:30:00"), parse(summer, "2005-03-27 02:30:00 x"));
  }

  /**
   * A session reads the next lines of a minute from the last line's time and their seconds:
   * what it gives must be what a fresh session gives, also where the guess of a missing year
   * turns within the minute (a day after "now"), for a leap second, and over the repeated hour
   * of autumn (both sessions first read a summer line, whose offset that hour keeps).
   */
  @Test
  void linesOfOneMinuteReadAsAFreshSessionReadsThem() {
    java.time.LocalDateTime turn = java.time.LocalDateTime.of(2005, 8, 15, 11, 58);
    java.time.LocalDateTime autumn = java.time.LocalDateTime.of(2005, 10, 30, 1, 58);
    java.time.format.DateTimeFormatter syslog =
        java.time.format.DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", java.util.Locale.ROOT);
    java.time.format.DateTimeFormatter iso =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    // At 12:00:00 "now" is a day ahead, at 12:00:01 the date is last year's.
    List<String> yearless = new java.util.ArrayList<>(List.of("Aug 15 12:00:00 host x",
        "Aug 15 12:00:05 host x", "Aug 15 11:59:59 host x", "Aug 15 11:59:30 host x"));
    List<String> dated = new java.util.ArrayList<>();
    for (int second = 0; second < 4 * 60; second += 7) {
      yearless.add(syslog.format(turn.plusSeconds(second)) + " host x");
      dated.add(iso.format(autumn.plusSeconds(second)) + " x");
    }
    yearless.add("Aug 15 11:59:60 host x");
    agree(DateDetector.parse("{^LN-BEG}", YEAR), null, yearless);
    agree(DateDetector.parse("^%Y-%m-%d %H:%M:%S", YEAR), "2005-10-30 00:59:59 x", dated);
  }

  private static void agree(DateDetector detector, String first, List<String> lines) {
    DateSession reused = detector.session();
    if (first != null) {
      parse(reused, first);
    }
    for (String line : lines) {
      DateSession fresh = detector.session();
      if (first != null) {
        parse(fresh, first);
      }
      assertEquals(parse(fresh, line), parse(reused, line), line);
    }
  }

  private static double parse(DateSession session, String line) {
    return session.parse(session.find(line), AUGUST_2005);
  }
}
