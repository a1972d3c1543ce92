package dev.vouch.filter;

import static dev.vouch.filter.DateDetectorTest.YEAR;
import static dev.vouch.filter.DateDetectorTest.find;
import static dev.vouch.filter.DateDetectorTest.local;
import static dev.vouch.filter.DateDetectorTest.utc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Year;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every % directive fail2ban knows: what it matches and what it means. */
class DateDirectivesTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = ';', value = {
      "2001; 200",
      "2005; 200",
      "2010; 20[01]",
      "2026; 20[012]",
      "2027; 20[0123]",
      "2096; 20[0123456789]",
      "2097; 2(?:00|01|02|03|04|05|06|07|08|09|10)",
      "2150; 2(?:00|01|02|03|04|05|06|07|08|09|10|11|12|13|14|15)",
  })
  void exactYearsReachThreeYearsAhead(int year, String regex) {
    assertEquals(regex, DateDirectives.centuryRegex(year));
    assertEquals("(?P<Y>" + regex + "\\d)", DateDirectives.startingIn(Year.of(year)).yearRegex());
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(delimiter = '|', value = {
      // hours: %k and %l allow a space, %I with %p, 12 AM is midnight
      "^%k:%M:%S**            | ' 9:05:01'              | 2005-08-14T09:05:01",
      "^%l:%M:%S %p**         | ' 9:05:01 pm'           | 2005-08-13T21:05:01",
      "^%I:%M:%S %p**         | 12:05:01 AM             | 2005-08-14T00:05:01",
      "^%I:%M:%S %p**         | 12:05:01 PM             | 2005-08-13T12:05:01",
      "^%I:%M:%S**            | 12:05:01                | 2005-08-14T00:05:01",
      "^%Exk:%M:%S**          | ' 9:05:01'              | 2005-08-14T09:05:01",
      "^%Exl:%M:%S %p**       | 11:05:01 AM             | 2005-08-14T11:05:01",
      // years: %y and %Exy are 20xx
      "^%y-%m-%d %H:%M**      | 99-01-02 03:04          | 2099-01-02T03:04:00",
      "^%Exy%Exm%Exd**        | 040102                  | 2004-01-02T00:00:00",
      "^%Y-%m-%d**            | 2004-09-01              | 2004-09-01T00:00:00",
      // names, any case
      "^%B %Exd %I:%ExM:%ExS** | January 23 12:59:59    | 2005-01-23T00:59:59",
      "^%A %b %d %Y %H:%M**   | WEDNESDAY mar 02 2005 10:00 | 2005-03-02T10:00:00",
      "^%a %d.%m. %H:%M**     | tue 01.02. 10:00        | 2005-02-01T10:00:00",
      // day of year and weeks
      "^%j %Y %H:%M**         | 032 2005 10:00          | 2005-02-01T10:00:00",
      "^%y %U %A %ExH:%ExM:%ExS** | 01 11 Wednesday 21:59:59 | 2001-03-21T21:59:59",
      "^%y %W %A %ExH:%ExM:%ExS** | 01 11 Wednesday 21:59:59 | 2001-03-14T21:59:59",
      "^%y %W %w %ExH:%ExM:%ExS** | 01 11 0 21:59:59     | 2001-03-18T21:59:59",
      "^%y %W %w %ExH:%ExM:%ExS** | 01 11 6 21:59:59     | 2001-03-17T21:59:59",
      // missing date: today or yesterday; missing year: this year or the last
      "^%ExH:%ExM:%ExS**      | 21:59:59                | 2005-08-13T21:59:59",
      "^%m/%d %ExH:%ExM:%ExS** | 09/01 21:59:59         | 2004-09-01T21:59:59",
      // locale forms
      "^%c**                  | Sun Jan 23 21:59:59 2005 | 2005-01-23T21:59:59",
      "^%x %X**               | 01/23/05 21:59:59       | 2005-01-23T21:59:59",
      // a literal percent sign; %f is matched and dropped
      "^%%%H:%M:%S.%f**       | %21:59:59.123456        | 2005-08-13T21:59:59",
      // ISO weeks are matched but not used
      "^%G-%V-%u %H:%M**      | 2005-03-1 10:00         | 2005-08-14T10:00:00",
  })
  void directivesReadAsFail2banReadsThem(String pattern, String text, String time) {
    DateDetectorTest.Found found = find(DateDetector.parse(pattern, YEAR), text);
    assertEquals(new DateDetectorTest.Found(text, local(time)), found);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(delimiter = '|', value = {
      "^%Y-%m-%d%z**          | 2004-09-01Z             | 2004-09-01T00:00:00",
      "^%H:%M %z**            | 10:00 +0130             | 2005-08-14T08:30:00",
      "^%H:%M %z**            | 10:00 -01               | 2005-08-14T11:00:00",
      "^%H:%M %z**            | 10:00 UTC               | 2005-08-14T10:00:00",
      // fail2ban compares the date, once in UTC, with the local "now": 15:00 is "ahead" of 12:00
      "^%H:%M %Z**            | 10:00 EST               | 2005-08-13T15:00:00",
      "^%H:%M %ExZ**          | 10:00 A                 | 2005-08-14T09:00:00",
      "^%H:%M %Exz**          | 10:00 CET+0130          | 2005-08-14T07:30:00",
      "^%H:%M %Exz**          | 10:00 -04:30            | 2005-08-13T14:30:00",
  })
  void zoneDirectivesMoveTheTime(String pattern, String text, String utcTime) {
    DateDetectorTest.Found found = find(DateDetector.parse(pattern, YEAR), text);
    assertEquals(new DateDetectorTest.Found(text, utc(utcTime)), found);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(delimiter = '|', value = {
      "^%Exm/%Exd**   | 1/2",
      "^%ExH:%ExM**   | 9:05",
      "^%ExY**        | 2010",
      "^%z**          | +2400",
      "^%Z**          | CE",
  })
  void exactDirectivesRefuseLooseText(String pattern, String text) {
    assertNull(find(DateDetector.parse(pattern, YEAR), text));
  }
}
