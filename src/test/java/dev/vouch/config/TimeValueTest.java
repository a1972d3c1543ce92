package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimeValueTest {

  /** Every example of the reference, §2.5, with what fail2ban 1.0.2 computes. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      600        | 600
      1d         | 86400
      2w         | 1209600
      10m        | 600
      1h 30m     | 5400
      1d12h      | 129600
      1.5d       | 129600
      1mo        | 2629800
      1y         | 31557600
      1year-6mo  | 15778800
      6 months   | 15778800
      1hour+30min| 5400
      0d 1h 30m  | 5400
      10M        | 600
      1h30       | 3630
      2 weeks 3 days | 1468800
      -1         | -1
      """)
  void readsFail2banDurations(String text, double seconds) {
    assertEquals(seconds, TimeValue.parse(text).seconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"10x", "", "m", "1.5.5", "1d_", "ten minutes", "1h-", "1e3"})
  void rejectsAnythingElse(String text) {
    ConfigException error = assertThrows(ConfigException.class, () -> TimeValue.parse(text));

    assertEquals("expected a duration like 10m, 1h30m, 2d or -1. Found: " + text,
        error.getMessage());
  }

  @Test
  void minusOneIsPermanent() {
    assertTrue(TimeValue.parse("-1").isPermanent());
    assertFalse(TimeValue.parse("1").isPermanent());
  }

  @Test
  void convertsToADuration() {
    assertEquals(Duration.ofMinutes(90), TimeValue.parse("1h 30m").toDuration());
    assertEquals(Duration.ofSeconds(2629800), TimeValue.parse("1mo").toDuration());
    assertEquals(Duration.ofMillis(1500), TimeValue.parse("1.5").toDuration());
  }

  @Test
  void aValueNamesItsOriginAndKey() {
    Value value = new Value("10x", new Origin(java.nio.file.Path.of("jail.local"), 14));

    ConfigException error = assertThrows(ConfigException.class, () -> value.toTime("bantime"));

    assertEquals("jail.local:14: bantime: expected a duration like 10m, 1h30m, 2d or -1."
        + " Found: 10x", error.getMessage());
  }
}
