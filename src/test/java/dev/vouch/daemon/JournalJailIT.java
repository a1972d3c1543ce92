package dev.vouch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.config.JailConfig;
import dev.vouch.config.JailDefinition;
import dev.vouch.config.JailsReader;
import dev.vouch.config.VouchConf;
import dev.vouch.jail.Ban;
import dev.vouch.jail.JailStatus;
import dev.vouch.net.IpAddress;
import dev.vouch.watch.TestJournal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jails with {@code backend = systemd} in a running daemon: the real journalctl reads a journal
 * that the test writes with systemd-journal-remote; the ban jail uses fail2ban's own sshd filter,
 * the allow jail vouch's sshd-success, both with the same journalmatch (one journalctl for both).
 */
class JournalJailIT {
  private static final Path INSTALL =
      Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();
  private static final Path FAIL2BAN_FILTERS = Path.of(System.getProperty("fail2ban.root",
      "target/fail2ban")).toAbsolutePath().resolve("etc/fail2ban/filter.d");

  @TempDir Path dir;
  private Path conf;
  private TestJournal journal;
  private Daemon daemon;
  private int pid = 1000;

  @BeforeEach
  void setUp() throws Exception {
    conf = Files.createDirectories(dir.resolve("vouch"));
    Files.createDirectories(conf.resolve("filter.d"));
    for (String filter : new String[] {"sshd.conf", "common.conf"}) {
      Files.copy(FAIL2BAN_FILTERS.resolve(filter), conf.resolve("filter.d").resolve(filter));
    }
    journal = new TestJournal(dir.resolve("journal"));
    Files.writeString(conf.resolve("vouch.conf"), "[Definition]\ndbfile = state/vouch\n"
        + "socket = state/vouch.sock\n[fail2ban]\nsync = off\n");
    jails("");
  }

  @AfterEach
  void tearDown() {
    if (daemon != null) {
      daemon.close();
    }
  }

  private void jails(String more) throws Exception {
    Files.writeString(conf.resolve("jail.local"), "[DEFAULT]\nignoreself = false\n"
        + "backend = systemd[journalpath=" + journal.dir() + "]\n"
        + "[sshd-allow]\nenabled = true\nfilter = sshd-success\nallowfor = sshd\n"
        + "allowtime = 1d\njournalmatch = _SYSTEMD_UNIT=sshd.service + _COMM=sshd\n"
        + "[sshd]\nenabled = true\nfilter = sshd\nmaxretry = 3\nfindtime = 10m\n"
        + "bantime = 1h\naction = log[path=" + dir.resolve("decisions.log") + "]\n" + more);
  }

  private Daemon start(Daemon.Mode mode) {
    VouchConf settings = VouchConf.read(conf, INSTALL);
    List<JailConfig> jails = new JailsReader(conf, settings.filterSearchPath(),
        settings.actionSearchPath()).read().stream().filter(JailDefinition::enabled)
        .map(JailConfig::of).toList();
    daemon = Daemon.start(settings, jails, mode, Clock.systemDefaultZone(),
        Clock.systemDefaultZone().getZone());
    return daemon;
  }

  private void failure(String address) throws Exception {
    journal.append(TestJournal.sshd(Instant.now(), pid++, "Failed password for root from "
        + address + " port 22 ssh2"));
  }

  private void success(String address) throws Exception {
    journal.append(TestJournal.sshd(Instant.now(), pid++, "Accepted publickey for alice from "
        + address + " port 22 ssh2: ED25519 SHA256:abc"));
  }

  private JailStatus.BanJailStatus sshd() {
    return (JailStatus.BanJailStatus) daemon.call(view -> view.status("sshd"));
  }

  private boolean banned(String address) {
    return sshd().banned().stream().map(Ban::network)
        .anyMatch(network -> network.contains(IpAddress.parse(address)));
  }

  private boolean allowed(String address) {
    return daemon.call(view -> view.check(IpAddress.parse(address),
        java.util.Optional.of("sshd"))).isPresent();
  }

  private static boolean await(BooleanSupplier condition, long millis) throws Exception {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  @Test
  void allowsAndBansFromJournalEntriesWithOneJournalctlForBothJails() throws Exception {
    start(Daemon.Mode.LIVE);
    success("192.0.2.10");
    assertTrue(await(() -> allowed("192.0.2.10"), 10_000));
    for (int i = 0; i < 3; i++) {
      failure("192.0.2.10");
      failure("203.0.113.5");
    }
    // Another program's lines, outside the journalmatch, count for nothing.
    for (int i = 0; i < 3; i++) {
      journal.append(TestJournal.at(Instant.now()).with("_COMM", "logger")
          .with("SYSLOG_IDENTIFIER", "sshd").with("SYSLOG_PID", "1")
          .with("MESSAGE", "Failed password for root from 198.51.100.7 port 22 ssh2"));
    }
    assertTrue(await(() -> banned("203.0.113.5"), 10_000));
    assertTrue(await(() -> sshd().spared() >= 3, 10_000), () -> sshd().toString());
    assertFalse(banned("192.0.2.10"));
    assertFalse(banned("198.51.100.7"));
    assertTrue(await(() -> Files.exists(dir.resolve("decisions.log")), 5_000));
    assertTrue(Files.readString(dir.resolve("decisions.log")).contains("203.0.113.5"));
    assertEquals(1, ProcessHandle.current().descendants().filter(process ->
        process.info().command().orElse("").endsWith("/journalctl")).count());
  }

  @Test
  void aRestartResumesAtTheCursorWithoutLosingOrCountingAnEntryTwice() throws Exception {
    start(Daemon.Mode.LIVE);
    failure("203.0.113.9");
    failure("203.0.113.9");
    assertTrue(await(() -> sshd().totalFailed() == 2, 10_000));
    daemon.close();
    daemon = null;
    failure("203.0.113.9"); // written while vouch is down
    start(Daemon.Mode.LIVE);
    assertTrue(await(() -> banned("203.0.113.9"), 10_000), () -> sshd().toString());
    Thread.sleep(500);
    assertEquals(3, sshd().totalFailed());
    assertEquals(1, daemon.linesRead()); // the entry written while down, and only that one
    daemon.close();
    daemon = null;
    // And a restart with nothing new reads nothing again.
    start(Daemon.Mode.LIVE);
    Thread.sleep(1500);
    assertEquals(3, sshd().totalFailed());
    assertEquals(0, daemon.linesRead());
  }

  @Test
  void aReplayReadsTheJournalFromItsFirstEntryAndEnds() throws Exception {
    Instant t = Instant.now().minus(Duration.ofDays(2));
    journal.append(TestJournal.sshd(t, 1, "Accepted password for bob from 192.0.2.20 port 22"
        + " ssh2"));
    for (int i = 0; i < 3; i++) {
      journal.append(TestJournal.sshd(t.plusSeconds(i + 1), 2, "Failed password for root from"
          + " 203.0.113.20 port 22 ssh2"));
    }
    start(Daemon.Mode.REPLAY).awaitReplay();
    assertEquals(4, daemon.linesRead());
    assertEquals(0, daemon.filesRead());
    assertEquals(1, daemon.journalsRead());
    assertEquals(3, sshd().totalFailed());
    assertEquals(1, sshd().totalBanned());
  }

  @Test
  void aMissingJournalctlIsReportedAndTheOtherJailsRunOn() throws Exception {
    Path log = dir.resolve("auth.log");
    Files.writeString(log, "");
    jails("backend = systemd[journalctl=" + dir.resolve("no/journalctl") + "]\n"
        + "[file-sshd]\nenabled = true\nfilter = sshd\nbackend = auto\nlogpath = " + log
        + "\nmaxretry = 1\n");
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        errors.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger watch = Logger.getLogger("vouch.watch");
    watch.addHandler(handler);
    try {
      start(Daemon.Mode.LIVE);
      assertTrue(await(() -> errors.stream().anyMatch(message ->
          message.contains("[sshd] cannot run " + dir.resolve("no/journalctl"))
              && message.contains("apt-get install systemd")), 5_000), errors::toString);
      Files.writeString(log, java.time.format.DateTimeFormatter.ofPattern("MMM d HH:mm:ss",
          java.util.Locale.ROOT).format(java.time.LocalDateTime.now()) + " host1 sshd[5]:"
          + " Failed password for root from 203.0.113.30 port 22 ssh2\n",
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      assertTrue(await(() -> daemon.call(view -> view.bans()).stream().anyMatch(ban ->
          ban.jail().equals("file-sshd")), 10_000));
    } finally {
      watch.removeHandler(handler);
    }
  }
}
