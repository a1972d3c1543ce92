package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How long finding (every line) and parsing (matched lines only) a date takes, for the common
 * log forms: printed, not asserted (shared machines make time limits flaky).
 */
class DateSpeedTest {
  private static final int LINES = 20_000;
  private static final int ROUNDS = 8;

  @Test
  void printsNanosecondsPerLine() {
    Random random = new Random(1);
    List<String> syslog = new ArrayList<>();
    List<String> iso = new ArrayList<>();
    List<String> apache = new ArrayList<>();
    String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    for (int i = 0; i < LINES; i++) {
      String time = String.format("%02d:%02d:%02d", random.nextInt(24), random.nextInt(60),
          random.nextInt(60));
      int day = 1 + random.nextInt(28);
      String address = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256)
          + "." + random.nextInt(256);
      syslog.add(String.format("%s %2d %s mail%d sshd[%d]: Failed password for invalid user"
          + " admin from %s port %d ssh2", months[random.nextInt(12)], day, time,
          random.nextInt(3), 1000 + random.nextInt(30000), address, 1024 + random.nextInt(60000)));
      iso.add(String.format("2005-%02d-%02dT%s.%06d+02:00 mail sshd[%d]: Connection closed by %s",
          1 + random.nextInt(12), day, time, random.nextInt(1_000_000), random.nextInt(30000),
          address));
      apache.add(String.format("%s - - [%02d/%s/2005:%s +0200] \"GET /wp-login.php HTTP/1.1\" 404"
          + " %d \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"", address, day,
          months[random.nextInt(12)], time, random.nextInt(5000)));
    }
    Year year = Year.of(2005);
    TimeContext context = new TimeContext(ZoneOffset.ofHours(2), 1124013600);
    report("syslog  defaults", DateDetector.defaults(year), syslog, context);
    report("syslog  {^LN-BEG}", DateDetector.parse("{^LN-BEG}", year), syslog, context);
    report("ISO     defaults", DateDetector.defaults(year), iso, context);
    report("apache  defaults", DateDetector.defaults(year), apache, context);
    report("apache  ^[^\\[]*\\[({DATE})", DateDetector.parse("^[^\\[]*\\[({DATE})\n{^LN-BEG}",
        year), apache, context);
  }

  private static void report(String what, DateDetector detector, List<String> lines,
      TimeContext context) {
    double findNanos = Double.MAX_VALUE;
    double parseNanos = Double.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      DateSession session = detector.session();
      DateSpan[] spans = new DateSpan[lines.size()];
      long start = System.nanoTime();
      for (int i = 0; i < spans.length; i++) {
        spans[i] = session.find(lines.get(i));
      }
      long found = System.nanoTime();
      double sum = 0;
      for (DateSpan span : spans) {
        assertNotNull(span);
        sum += session.parse(span, context);
      }
      long parsed = System.nanoTime();
      findNanos = Math.min(findNanos, (found - start) / (double) lines.size());
      parseNanos = Math.min(parseNanos, (parsed - found) / (double) lines.size());
      assertNotNull(sum);
    }
    System.out.printf("date %-28s find %6.0f ns/line, parse %6.0f ns/line%n", what, findNanos,
        parseNanos);
  }
}
