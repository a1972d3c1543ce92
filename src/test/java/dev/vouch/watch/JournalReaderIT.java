package dev.vouch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JournalReader} running the real journalctl on journals written in a temp dir. */
class JournalReaderIT {
  private static final String SSHD = "_SYSTEMD_UNIT=sshd.service + _COMM=sshd";

  @TempDir Path temp;
  private TestJournal journal;
  private final List<JournalReader> readers = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    journal = new TestJournal(temp.resolve("journal"));
  }

  @AfterEach
  void tearDown() {
    readers.forEach(JournalReader::close);
  }

  /** What a reader handed on, and the last position. */
  static final class Collected implements LineSink {
    final List<Line> lines = Collections.synchronizedList(new ArrayList<>());
    volatile LogPosition last;

    @Override
    public void lines(String source, List<Line> read, LogPosition position) {
      lines.addAll(read);
      last = position;
    }

    List<String> texts() {
      synchronized (lines) {
        return lines.stream().map(Line::text).toList();
      }
    }
  }

  private JournalQuery query(String journalmatch, String... options) {
    Map<String, String> backend = new java.util.LinkedHashMap<>();
    backend.put("journalpath", journal.dir().toString());
    for (int i = 0; i < options.length; i += 2) {
      backend.put(options[i], options[i + 1]);
    }
    return JournalQuery.of(journalmatch.isEmpty() ? List.of() : List.of(journalmatch), backend);
  }

  private JournalReader reader(JournalQuery query, Optional<LogPosition> saved, Collected sink,
      boolean follow) {
    JournalReader reader = new JournalReader("test", query, saved, Duration.ofMinutes(10),
        Clock.systemUTC(), sink, 64 * 1024, follow);
    readers.add(reader);
    reader.start();
    return reader;
  }

  private static boolean await(BooleanSupplier condition, long millis) throws Exception {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  private static Instant ago(Duration duration) {
    return Instant.now().minus(duration);
  }

  @Test
  void readsTheEntriesOfTheUnitOrTheCommandOnly() throws Exception {
    Instant now = ago(Duration.ofMinutes(1));
    journal.append(
        TestJournal.sshd(now, 10, "by unit and command"),
        TestJournal.at(now).with("_COMM", "sshd").with("_PID", "11").with("MESSAGE", "by command"),
        TestJournal.at(now).with("_SYSTEMD_UNIT", "sshd.service").with("_COMM", "sshd-session")
            .with("MESSAGE", "by unit"),
        TestJournal.at(now).with("_SYSTEMD_UNIT", "cron.service").with("_COMM", "cron")
            .with("MESSAGE", "neither"));
    Collected either = new Collected();
    reader(query(SSHD), Optional.empty(), either, false).join();
    assertEquals(List.of("host1 sshd[10]: by unit and command", "sshd[11]: by command",
        "sshd-session: by unit"), either.texts());

    Collected both = new Collected();
    reader(query("_SYSTEMD_UNIT=sshd.service _COMM=sshd"), Optional.empty(), both, false).join();
    assertEquals(List.of("host1 sshd[10]: by unit and command"), both.texts());

    // Two journalmatch lines are alternatives too, as fail2ban adds each with a disjunction.
    Collected lines = new Collected();
    JournalQuery twoLines = JournalQuery.of(List.of("_COMM=cron", "_COMM=sshd-session"),
        Map.of("journalpath", journal.dir().toString()));
    reader(twoLines, Optional.empty(), lines, false).join();
    assertEquals(List.of("sshd-session: by unit", "cron: neither"), lines.texts());
  }

  @Test
  void aReplayReadsFromTheFirstEntryAndStopsAtTheLast() throws Exception {
    journal.append(TestJournal.sshd(ago(Duration.ofDays(3)), 1, "old"),
        TestJournal.sshd(ago(Duration.ofSeconds(5)), 2, "new"));
    Collected sink = new Collected();
    JournalReader reader = reader(query(SSHD), Optional.empty(), sink, false);
    reader.join();
    assertEquals(List.of("host1 sshd[1]: old", "host1 sshd[2]: new"), sink.texts());
    assertEquals(1, reader.runs());
    assertTrue(reader.problem().isEmpty());
  }

  @Test
  void startsAtFindtimeAgoAndFollowsNewEntries() throws Exception {
    Instant old = ago(Duration.ofHours(2));
    Instant recent = ago(Duration.ofMinutes(5));
    journal.append(TestJournal.sshd(old, 1, "before findtime"),
        TestJournal.sshd(recent, 2, "within findtime"));
    Collected sink = new Collected();
    reader(query(SSHD), Optional.empty(), sink, true);
    assertTrue(await(() -> sink.lines.size() >= 1, 10_000));
    journal.append(TestJournal.sshd(Instant.now(), 3, "appended while running"));
    assertTrue(await(() -> sink.lines.size() >= 2, 10_000), () -> sink.texts().toString());
    Thread.sleep(300);
    assertEquals(List.of("host1 sshd[2]: within findtime", "host1 sshd[3]: appended while running"),
        sink.texts());
    // The line's time is the entry's, to the microsecond.
    assertEquals(recent.getEpochSecond() + recent.getNano() / 1000 / 1e6,
        sink.lines.get(0).time(), 1e-6);
  }

  @Test
  void resumesAfterItsCursorWithoutLosingOrRepeatingAnEntry() throws Exception {
    journal.append(TestJournal.sshd(ago(Duration.ofMinutes(3)), 1, "one"),
        TestJournal.sshd(ago(Duration.ofMinutes(2)), 2, "two"));
    Collected first = new Collected();
    JournalReader reader = reader(query(SSHD), Optional.empty(), first, true);
    assertTrue(await(() -> first.lines.size() == 2, 10_000));
    reader.close();
    LogPosition saved = first.last;
    assertEquals(query(SSHD).key(), saved.path());
    assertTrue(saved.fileKey().startsWith("s="), saved.fileKey());

    // Written while nothing reads: the next run must read these, and only these.
    journal.append(TestJournal.sshd(ago(Duration.ofHours(5)), 3, "three, dated long ago"),
        TestJournal.sshd(Instant.now(), 4, "four"));
    Collected second = new Collected();
    reader(query(SSHD), Optional.of(saved), second, true);
    assertTrue(await(() -> second.lines.size() >= 2, 10_000));
    Thread.sleep(500);
    assertEquals(List.of("host1 sshd[3]: three, dated long ago", "host1 sshd[4]: four"),
        second.texts());
  }

  @Test
  void aCursorThatJournalctlRejectsFallsBackToFindtime() throws Exception {
    journal.append(TestJournal.sshd(ago(Duration.ofHours(2)), 1, "old"),
        TestJournal.sshd(ago(Duration.ofMinutes(1)), 2, "recent"));
    Collected sink = new Collected();
    JournalReader reader = reader(query(SSHD),
        Optional.of(new LogPosition(query(SSHD).key(), "not-a-cursor", 0, "")), sink, true);
    assertTrue(await(() -> sink.lines.size() >= 1, 15_000), () -> reader.problem().toString());
    assertEquals(List.of("host1 sshd[2]: recent"), sink.texts());
  }

  @Test
  void restartsAJournalctlThatDiesFromTheLastEntryRead() throws Exception {
    // A journalctl that lives one second at a time: each run ends as if it had crashed.
    Path dying = temp.resolve("dying-journalctl");
    Files.writeString(dying, "#!/bin/sh\nexec timeout 1 journalctl \"$@\"\n");
    Files.setPosixFilePermissions(dying, PosixFilePermissions.fromString("rwx------"));
    journal.append(TestJournal.sshd(ago(Duration.ofMinutes(1)), 1, "before"));
    Collected sink = new Collected();
    JournalReader reader = reader(query(SSHD, "journalctl", dying.toString()), Optional.empty(),
        sink, true);
    assertTrue(await(() -> sink.lines.size() == 1, 10_000));
    assertTrue(await(() -> reader.runs() >= 2, 10_000), "journalctl was started again");
    journal.append(TestJournal.sshd(Instant.now(), 2, "after a restart"));
    assertTrue(await(() -> sink.lines.size() >= 2, 15_000));
    assertTrue(await(() -> reader.runs() >= 3, 15_000), "and again");
    assertEquals(List.of("host1 sshd[1]: before", "host1 sshd[2]: after a restart"),
        sink.texts());
    assertTrue(reader.problem().orElse("").contains("journalctl exited with status 124"),
        reader.problem().toString());
  }

  @Test
  void aMissingJournalctlIsAClearErrorAndStopStillReturns() throws Exception {
    Collected sink = new Collected();
    JournalReader reader = reader(query(SSHD, "journalctl", temp.resolve("no-journalctl")
        .toString()), Optional.empty(), sink, true);
    assertTrue(await(() -> reader.problem().isPresent(), 5_000));
    String problem = reader.problem().get();
    assertTrue(problem.contains("cannot run " + temp.resolve("no-journalctl")), problem);
    assertTrue(problem.contains("No such file or directory"), problem);
    assertTrue(problem.contains("apt-get install systemd"), problem);
    assertTrue(problem.contains("backend = systemd[journalctl="), problem);
    long start = System.nanoTime();
    reader.close();
    assertTrue(System.nanoTime() - start < 3_000_000_000L, "close returns at once");
  }

  @Test
  void closeKillsJournalctlAndReapsIt() throws Exception {
    journal.append(TestJournal.sshd(ago(Duration.ofMinutes(1)), 1, "one"));
    Collected sink = new Collected();
    reader(query(SSHD), Optional.empty(), sink, true);
    assertTrue(await(() -> sink.lines.size() == 1, 10_000));
    List<ProcessHandle> journalctl = journalctls();
    assertEquals(1, journalctl.size(), journalctl.toString());
    long start = System.nanoTime();
    readers.get(0).close();
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "close returns within seconds");
    assertFalse(journalctl.get(0).isAlive());
    assertEquals(List.of(), journalctls());
  }

  /** The journalctl processes this JVM started. */
  static List<ProcessHandle> journalctls() {
    return ProcessHandle.current().descendants()
        .filter(process -> process.info().command().orElse("").endsWith("/journalctl"))
        .toList();
  }

  @Test
  void aMessageThatIsNotUtf8IsReadWithReplacementCharacters() throws Exception {
    journal.append(TestJournal.sshd(ago(Duration.ofMinutes(1)), 5, "x")
        .with("MESSAGE", "Failed password for b\u00e9b from 192.0.2.9".getBytes(
            StandardCharsets.ISO_8859_1)));
    Collected sink = new Collected();
    JournalReader reader = reader(query(SSHD), Optional.empty(), sink, false);
    reader.join();
    // Both MESSAGE values, joined with a space as fail2ban joins a repeated field.
    assertEquals(List.of("host1 sshd[5]: x Failed password for b\uFFFDb from 192.0.2.9"),
        sink.texts());
    assertEquals(1, reader.undecodable());
  }

  @Test
  void anEntryLongerThanTheLimitIsSkippedAndCounted() throws Exception {
    journal.append(TestJournal.sshd(ago(Duration.ofMinutes(1)), 1, "y".repeat(5000)),
        TestJournal.sshd(ago(Duration.ofMinutes(1)), 2, "short"));
    Collected sink = new Collected();
    JournalReader reader = new JournalReader("test", query(SSHD), Optional.empty(),
        Duration.ofMinutes(10), Clock.systemUTC(), sink, 1000, false);
    readers.add(reader);
    reader.start();
    reader.join();
    assertEquals(List.of("host1 sshd[2]: short"), sink.texts());
    assertEquals(1, reader.tooLong());
  }
}
