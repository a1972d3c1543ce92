package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.config.FilterReader;
import dev.vouch.daemon.Filters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Paired jails on one log share a literal scan, and a date search where they read dates alike
 * ({@link Filter#sharingScans}): each filter's results must be exactly what it gives alone, on
 * fail2ban's own sshd samples and vouch's success samples together, with RFC 5424 lines that
 * only one of the pair finds a date in.
 */
class SharedScanTest {
  private static final Path ROOT = Path.of(System.getProperty("fail2ban.root", "target/fail2ban"));
  private static final Path PROJECT = Path.of(System.getProperty("vouch.project", "."));
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2005-08-14T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void pairedFiltersGiveWhatEachGivesAlone() throws IOException {
    List<String> lines = log();
    // The stock sshd filter reads dates at the line start only; vouch's success filter also after
    // an RFC 5424 header: one scan, two date searches. A second stock sshd filter reads dates
    // as the first does: its date search is shared too.
    List<Filter> alone = List.of(filter(ROOT.resolve("etc/fail2ban/filter.d"), "sshd"),
        filter(PROJECT.resolve("filters"), "sshd-success"),
        filter(ROOT.resolve("etc/fail2ban/filter.d"), "sshd[mode=aggressive]"));
    List<Filter> shared = Filter.sharingScans(alone);
    assertTrue(shared.get(1).sharesScanWith(shared.get(0)));
    assertFalse(shared.get(1).sharesDatesWith(shared.get(0)));
    assertTrue(shared.get(2).sharesDatesWith(shared.get(0)));

    List<List<String>> expected = new ArrayList<>();
    for (Filter filter : alone) {
      FilterSession session = filter.newSession(CLOCK, ZoneOffset.UTC, HostResolver.NONE);
      expected.add(lines.stream().map(line -> describe(session.process(line))).toList());
    }
    List<FilterSession> sessions = shared.stream()
        .map(filter -> filter.newSession(CLOCK, ZoneOffset.UTC, HostResolver.NONE)).toList();
    List<List<String>> actual = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    try (ParallelFilterRun run = new ParallelFilterRun(2)) {
      run.start(sessions, lines).finish((line, results) -> {
        for (int j = 0; j < results.length; j++) {
          actual.get(j).add(describe(results[j]));
        }
      });
    }
    long matched = 0;
    for (int j = 0; j < alone.size(); j++) {
      for (int i = 0; i < lines.size(); i++) {
        assertEquals(expected.get(j).get(i), actual.get(j).get(i),
            "filter " + j + ", line " + (i + 1) + ": " + lines.get(i));
        matched += expected.get(j).get(i).contains(";") ? 1 : 0;
      }
    }
    assertTrue(matched > 50, "the samples must match: " + matched);
  }

  /**
   * A line without a date takes the time of the last line with one, if it is less than a minute
   * old, even where the prefilter ruled that line out at once: in the parallel run as alone.
   */
  @Test
  void aLineWithoutADateTakesTheLastDateEvenOfALineRuledOut() throws IOException {
    Filter filter = filter(ROOT.resolve("etc/fail2ban/filter.d"), "sshd");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      lines.add("Aug 14 09:5" + (i % 10) + ":00 host sshd[" + i + "]: Server listening on ::.");
    }
    lines.add("Aug 14 09:59:30 host sshd[1]: Server listening on 0.0.0.0 port 22.");
    lines.add("host sshd[2]: Failed password for root from 192.0.2.1 port 22 ssh2");
    double expected = Instant.parse("2005-08-14T09:59:30Z").getEpochSecond();

    FilterSession alone = filter.newSession(CLOCK, ZoneOffset.UTC, HostResolver.NONE);
    List<FilterSession.LineResult> sequential = lines.stream().map(alone::process).toList();
    assertEquals(expected, sequential.get(lines.size() - 1).matches().get(0).time());

    List<FilterSession.LineResult> parallel = new ArrayList<>();
    try (ParallelFilterRun run = new ParallelFilterRun(2)) {
      run.start(List.of(filter.newSession(CLOCK, ZoneOffset.UTC, HostResolver.NONE)), lines)
          .finish((line, results) -> parallel.add(results[0]));
    }
    assertEquals(expected, parallel.get(lines.size() - 1).matches().get(0).time());
    assertEquals(describe(sequential.get(600)), describe(parallel.get(600)));
  }

  /** fail2ban's sshd samples and vouch's success samples, with RFC 5424 forms of some. */
  private static List<String> log() throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path file : List.of(
        ROOT.resolve("usr/lib/python3/dist-packages/fail2ban/tests/files/logs/sshd"),
        PROJECT.resolve("filters/samples/sshd-success.log"))) {
      for (String line : Files.readAllLines(file)) {
        if (!line.startsWith("#") && !line.isBlank()) {
          lines.add(line);
        }
      }
    }
    lines.add("<38>1 2005-08-10T12:00:00+02:00 host sshd 123 - - Accepted publickey for alice"
        + " from 198.51.100.7 port 4242 ssh2");
    lines.add("<38>1 2005-08-10T12:00:01+02:00 host sshd 124 - - Invalid user x from"
        + " 203.0.113.9 port 4243");
    lines.add("Aug 10 12:00:02 host sshd[125]: Accepted password for bob from 198.51.100.8"
        + " port 22 ssh2");
    return lines;
  }

  private static Filter filter(Path dir, String name) {
    var definition = new FilterReader(List.of(dir)).read(name);
    return Filter.compile(Filters.spec(definition, "no", Optional.empty(), Optional.empty()),
        Year.of(2005));
  }

  private static String describe(FilterSession.LineResult result) {
    StringBuilder text = new StringBuilder();
    for (FilterMatch match : result.matches()) {
      text.append(match.regex()).append(' ').append(match.id()).append(' ')
          .append(match.time()).append(' ').append(match.fields()).append(' ')
          .append(match.noFailure()).append(';');
    }
    return text.append(result.ignored() ? " ignored" : "")
        .append(result.dateTemplate() == null ? "" : " " + result.dateTemplate()).toString();
  }
}
