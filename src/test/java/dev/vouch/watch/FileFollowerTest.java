package dev.vouch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFollowerTest {
  @TempDir Path dir;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final AtomicReference<LogPosition> position = new AtomicReference<>();
  private final LineSink sink = (source, lines, reached) -> {
    lines.forEach(line -> seen.add(line.text()));
    position.set(reached);
  };
  private final List<FileFollower> followers = new ArrayList<>();

  @AfterEach
  void closeFollowers() {
    followers.forEach(FileFollower::close);
  }

  private FileFollower follow(Path log, Optional<LogPosition> saved, FileFollower.Start start,
      Clock clock) {
    FileFollower follower = new FileFollower(log, saved, start, Duration.ofMinutes(10),
        FileFollowerTest::timeOf, clock, sink, 1024, true);
    followers.add(follower);
    follower.start();
    return follower;
  }

  /** Lines of these tests start with epoch seconds. */
  private static double timeOf(String line) {
    try {
      return Double.parseDouble(line.split(" ", 2)[0]);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static void append(Path log, String... lines) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private void awaitLines(int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (seen.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static List<String> numbered(int from, int to) {
    List<String> lines = new ArrayList<>();
    for (int i = from; i < to; i++) {
      lines.add("100 line " + i);
    }
    return lines;
  }

  @Test
  void newLinesArriveWithinMilliseconds() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, "100 old");
    follow(log, Optional.empty(), FileFollower.Start.BEGINNING, Clock.systemUTC());
    awaitLines(1);
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long start = System.nanoTime();
      append(log, "100 new " + i);
      awaitLines(2 + i);
      latencies.add((System.nanoTime() - start) / 1_000_000);
    }
    assertEquals(21, seen.size());
    latencies.sort(null);
    System.out.println("follow latency ms: p50=" + latencies.get(10) + " max=" + latencies.get(19));
  }

  @Test
  void renameAndCreateRotationLosesAndRepeatsNothing() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, numbered(0, 100).toArray(String[]::new));
    follow(log, Optional.empty(), FileFollower.Start.BEGINNING, Clock.systemUTC());
    awaitLines(100);
    append(log, numbered(100, 150).toArray(String[]::new));
    Files.move(log, dir.resolve("auth.log.1"));
    append(dir.resolve("auth.log.1"), numbered(150, 160).toArray(String[]::new)); // late write
    append(log, numbered(160, 300).toArray(String[]::new));
    awaitLines(300);
    Thread.sleep(300);
    List<String> sorted = new ArrayList<>(seen);
    sorted.sort(java.util.Comparator.comparingInt(line -> Integer.parseInt(line.split(" ")[2])));
    assertEquals(numbered(0, 300), sorted);
  }

  @Test
  void copytruncateRotationLosesNothing() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, numbered(0, 100).toArray(String[]::new));
    follow(log, Optional.empty(), FileFollower.Start.BEGINNING, Clock.systemUTC());
    awaitLines(100);
    // Lines written just before the copy, then copy and truncate faster than a read.
    append(log, numbered(100, 120).toArray(String[]::new));
    Files.copy(log, dir.resolve("auth.log.1"));
    Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
    append(log, numbered(120, 200).toArray(String[]::new));
    awaitLines(200);
    Thread.sleep(300);
    assertEquals(200, seen.size());
    assertEquals(numbered(0, 200), seen.stream().sorted(java.util.Comparator.comparingInt(
        line -> Integer.parseInt(line.split(" ")[2]))).toList());
  }

  @Test
  void aSavedPositionResumesOnlyInTheSameFile() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, numbered(0, 50).toArray(String[]::new));
    FileFollower first = follow(log, Optional.empty(), FileFollower.Start.BEGINNING,
        Clock.systemUTC());
    awaitLines(50);
    first.close();
    LogPosition saved = position.get();
    append(log, numbered(50, 60).toArray(String[]::new));
    seen.clear();
    follow(log, Optional.of(saved), FileFollower.Start.BEGINNING, Clock.systemUTC());
    awaitLines(10);
    Thread.sleep(200);
    assertEquals(numbered(50, 60), seen);

    followers.forEach(FileFollower::close);
    seen.clear();
    Path other = dir.resolve("other.log");
    append(other, "100 a different first line", "100 second");
    follow(other, Optional.of(new LogPosition(other.toString(), "", saved.offset(),
        saved.firstLineHash())), FileFollower.Start.BEGINNING, Clock.systemUTC());
    awaitLines(2);
    assertEquals(List.of("100 a different first line", "100 second"), seen);
  }

  @Test
  void aNewLogIsReadFromItsLastFindtime() throws Exception {
    Path log = dir.resolve("auth.log");
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    List<String> lines = new ArrayList<>();
    for (int minute = 60; minute >= 0; minute--) {
      for (int i = 0; i < 50; i++) {
        lines.add((now.getEpochSecond() - minute * 60L) + " minute " + minute + " n" + i);
      }
    }
    append(log, lines.toArray(String[]::new));
    follow(log, Optional.empty(), FileFollower.Start.RECENT, Clock.fixed(now, ZoneOffset.UTC));
    awaitLines(11 * 50);
    Thread.sleep(200);
    assertEquals(11 * 50, seen.size());
    assertTrue(seen.get(0).contains("minute 10 n0"), seen.get(0));
  }

  @Test
  void overlongLinesAreSkippedAndCounted() throws Exception {
    Path log = dir.resolve("auth.log");
    append(log, "100 before", "x".repeat(5000), "100 after");
    FileFollower follower = follow(log, Optional.empty(), FileFollower.Start.BEGINNING,
        Clock.systemUTC());
    awaitLines(2);
    Thread.sleep(100);
    assertEquals(List.of("100 before", "100 after"), seen);
    assertEquals(1, follower.tooLong());
  }
}
