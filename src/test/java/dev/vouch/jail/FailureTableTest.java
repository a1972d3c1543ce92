package dev.vouch.jail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vouch.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureTableTest {
  private static final double T0 = 1_772_359_200; // 2026-03-01T10:00:00Z
  private static final double FINDTIME = 600;
  private static final Cidr ADDRESS = Cidr.parse("203.0.113.7");

  @Test
  void countsWithinFindtimeAndRescalesBeyondItAsFail2banDoes() {
    FailureTable table = new FailureTable((long) T0 * 1000);
    assertEquals(1, table.add(ADDRESS, T0, FINDTIME, 1));
    assertEquals(2, table.add(ADDRESS, T0 + 300, FINDTIME, 1));
    // 2 failures over 900 s: 2 / 900 * 600 = 1.33, rounded to 1, plus this one.
    assertEquals(2, table.add(ADDRESS, T0 + 900, FINDTIME, 1));
    assertArrayEquals(new double[] {T0 + 300, T0 + 900, 2}, table.window(ADDRESS));
  }

  /**
   * The same failures give the same counts whatever millisecond the table's base has: log times
   * are whole seconds, and a rate estimate of exactly one half (one failure over twice findtime)
   * is where a time off by a few milliseconds would round the other way. Python rounds the half
   * to even: 0, so the next failure counts as the first.
   */
  @Test
  void countsDoNotDependOnTheMillisecondOfTheBase() {
    for (long phase = 0; phase < 1000; phase += 37) {
      FailureTable table = new FailureTable((long) T0 * 1000 - 3_600_000 + phase);
      List<Integer> counts = new ArrayList<>();
      for (double at : new double[] {T0, T0 + 2 * FINDTIME, T0 + 2 * FINDTIME + 1}) {
        counts.add(table.add(ADDRESS, at, FINDTIME, 1));
      }
      assertEquals(List.of(1, 1, 2), counts, "base phase " + phase + " ms");
    }
  }

  @Test
  void restoredWindowsCountOn() {
    FailureTable table = new FailureTable((long) T0 * 1000);
    table.restore(ADDRESS, T0, T0 + 100, 2);
    assertEquals(3, table.add(ADDRESS, T0 + 200, FINDTIME, 1));
    table.remove(ADDRESS);
    assertNull(table.window(ADDRESS));
  }

  @Test
  void cleanupReportsWhatItDrops() {
    FailureTable table = new FailureTable((long) T0 * 1000);
    table.add(ADDRESS, T0, FINDTIME, 1);
    table.add(Cidr.parse("2001:db8::1"), T0 + 500, FINDTIME, 1);
    List<Cidr> dropped = new ArrayList<>();
    assertEquals(1, table.cleanup(T0 + 700, FINDTIME, dropped::add));
    assertEquals(List.of(ADDRESS), dropped);
    assertEquals(1, table.size());
  }
}
