package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The literal prefilter picks the failregexes a line may match by the literals it holds: by an
 * index of their rarest literals up to 64 failregexes, by testing each beyond. Both must give
 * the first failregex that matches, and none where none can.
 */
class LiteralPrefilterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  /** Failregexes {@code ^ service<i> denied user \S+ from <HOST>$} and one without a literal. */
  private static FilterSession session(int count) {
    List<RegexSource> failregex = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      failregex.add(new RegexSource("^ service" + i + " denied user \\S+ from <HOST>$",
          "test.conf:" + (i + 1)));
    }
    failregex.add(new RegexSource("^ \\S+ <HOST>$", "test.conf:" + (count + 1)));
    Filter filter = Filter.compile(new FilterSpec("test", Optional.empty(), failregex, List.of(),
        1, Optional.empty(), UseDns.NO, Optional.empty()), Year.of(2026));
    return filter.newSession(CLOCK, ZoneOffset.UTC, HostResolver.NONE);
  }

  private static String firstMatch(FilterSession session, String line) {
    List<FilterMatch> matches = session.process(line).matches();
    return matches.isEmpty() ? "none" : matches.get(0).regex() + " " + matches.get(0).id();
  }

  @Test
  void theFirstFailregexThatMatchesWinsWithFewOrManyFailregexes() {
    for (int count : new int[] {3, 40, 63, 70}) {
      FilterSession session = session(count);
      String where = count + " failregexes";
      assertEquals("2 192.0.2.2", firstMatch(session,
          "2026-03-01 09:00:00 service2 denied user bob from 192.0.2.2"), where);
      assertEquals((count - 1) + " 192.0.2.9", firstMatch(session, "2026-03-01 09:00:00 service"
          + (count - 1) + " denied user bob from 192.0.2.9"), where);
      assertEquals(count + " 192.0.2.7", firstMatch(session, "2026-03-01 09:00:00 x 192.0.2.7"),
          where + ": the failregex without a literal");
      assertEquals("none", firstMatch(session,
          "2026-03-01 09:00:00 service2 granted user bob from 192.0.2.2"), where);
    }
  }
}
