package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.config.FilterReader;
import dev.vouch.daemon.Filters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * test-filter's parallel run: every line reaches the sink once, numbered in order, with what a
 * sequential session gives (the in-order part moves from worker to worker), and a sink that
 * fails stops the run with its error instead of hanging it.
 */
class ParallelFilterRunTest {
  private static final Path FILTERS = Path.of(System.getProperty("fail2ban.root",
      "target/fail2ban")).resolve("etc/fail2ban/filter.d");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2005-08-14T10:00:00Z"), ZoneOffset.UTC);

  private static Filter sshd() {
    return Filter.compile(Filters.spec(new FilterReader(List.of(FILTERS)).read("sshd"), "no",
        Optional.empty(), Optional.empty()), Year.of(2005));
  }

  /** Lines of an sshd log, in batches of different sizes, with connections across batches. */
  private static List<List<String>> batches() {
    List<List<String>> batches = new ArrayList<>();
    int pid = 100;
    for (int b = 0; b < 60; b++) {
      List<String> batch = new ArrayList<>();
      for (int i = 0; i < 50 + 37 * (b % 7); i++, pid++) {
        String time = String.format("Aug 14 09:%02d:%02d", (pid / 60) % 60, pid % 60);
        String address = "192.0.2." + (pid % 200);
        batch.add(switch (pid % 5) {
          case 0 -> time + " host sshd[" + pid + "]: Failed password for root from " + address
              + " port 22 ssh2";
          case 1 -> time + " host sshd[" + (pid - 1) + "]: Connection closed by " + address
              + " port 22 [preauth]";
          case 2 -> "host sshd[" + pid + "]: Invalid user x from " + address + " port 1";
          case 3 -> time + " host CRON[" + pid + "]: session opened for user root";
          default -> "";
        });
      }
      batches.add(batch);
    }
    return batches;
  }

  private static String describe(FilterSession.LineResult result) {
    if (result == null) {
      return "skipped";
    }
    StringBuilder text = new StringBuilder();
    for (FilterMatch match : result.matches()) {
      text.append(match.regex()).append(' ').append(match.id()).append(' ').append(match.time())
          .append(' ').append(match.fields().get("user")).append(';');
    }
    return text.append(result.ignored()).append(' ').append(result.dateTemplate()).toString();
  }

  @Test
  void everyLineReachesTheSinkInOrderAsASequentialRunGivesIt() throws IOException {
    List<List<String>> batches = batches();
    Filter filter = sshd();
    FilterSession alone = filter.newSession(CLOCK, ZoneOffset.UTC, HostResolver.NONE);
    List<String> expected = new ArrayList<>();
    for (List<String> batch : batches) {
      for (String line : batch) {
        expected.add(line.isEmpty() ? "skipped" : describe(alone.process(line)));
      }
    }
    List<String> actual = new ArrayList<>();
    List<Long> numbers = new ArrayList<>();
    Iterator<List<String>> source = batches.iterator();
    try (ParallelFilterRun run = new ParallelFilterRun(2)) {
      run.run(filter.newSession(CLOCK, ZoneOffset.UTC, HostResolver.NONE),
          () -> source.hasNext() ? source.next() : null, String::isEmpty,
          (number, line, result) -> {
            numbers.add(number);
            actual.add(describe(result));
          });
    }
    assertEquals(expected, actual);
    for (int i = 0; i < numbers.size(); i++) {
      assertEquals(i + 1, numbers.get(i));
    }
    assertTrue(expected.stream().filter(line -> line.contains(";")).count() > 1000);
  }

  @Test
  void aSinkThatFailsStopsTheRunWithItsError() {
    Iterator<List<String>> source = batches().iterator();
    try (ParallelFilterRun run = new ParallelFilterRun(2)) {
      IOException thrown = assertThrows(IOException.class, () -> run.run(
          sshd().newSession(CLOCK, ZoneOffset.UTC, HostResolver.NONE),
          () -> source.hasNext() ? source.next() : null, String::isEmpty,
          (number, line, result) -> {
            if (number == 777) {
              throw new IOException("stdout closed");
            }
          }));
      assertEquals("stdout closed", thrown.getMessage());
    }
  }
}
