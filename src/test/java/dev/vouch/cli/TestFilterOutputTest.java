package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class TestFilterOutputTest {
  @Test
  void hundredthsAreFormattersTwoDecimals() {
    for (double value : new double[] {0, 0.004, 0.006, 0.05, 0.5, 1.5, 9.99, 12.25, 1234.5,
        86400.125, -0.5, -3.25}) {
      assertEquals(String.format(Locale.ROOT, "%.2f", value), TestFilterOutput.hundredths(value),
          Double.toString(value));
    }
  }

  @Test
  void groupsAreFormattersCommaGroups() {
    for (long value : new long[] {0, 7, 999, 1000, 65536, 999999, 1000000, 1234567890123L,
        -1, -1234, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertEquals(String.format(Locale.ROOT, "%,d", value), TestFilterOutput.grouped(value),
          Long.toString(value));
    }
  }
}
