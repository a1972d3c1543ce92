package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.cli.InProcessVouch.Result;
import dev.vouch.watch.TestJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check-config and run --replay with jails that read a journal (backend = systemd). */
class JournalCommandIT {
  @TempDir Path dir;
  private TestConfig config;
  private TestJournal journal;

  @BeforeEach
  void setUp() throws Exception {
    config = new TestConfig(dir.resolve("conf"));
    journal = new TestJournal(dir.resolve("journal"));
    config.write("jail.local", Files.readString(config.dir.resolve("jail.local"))
        .replace("[DEFAULT]\n", "[DEFAULT]\nbackend = systemd[journalpath=" + journal.dir()
            + "]\n")
        .replace("[sshd]\n", "[sshd]\njournalmatch = _SYSTEMD_UNIT=sshd.service + _COMM=sshd\n"));
  }

  private Result vouch(String... args) {
    return new InProcessVouch(config).run(args);
  }

  @Test
  void checkConfigShowsTheBackendAndTheMatches() {
    Result result = vouch("check-config");
    assertEquals(0, result.exit(), result.err());
    String sshd = result.out().substring(result.out().indexOf("[sshd]"));
    assertTrue(sshd.contains("  backend: systemd[journalpath=" + journal.dir() + "]\n"), sshd);
    assertTrue(sshd.contains("  journal: _SYSTEMD_UNIT=sshd.service + _COMM=sshd\n"), sshd);
    // The allow jail has sshd-success's own journalmatch.
    String allow = result.out().substring(result.out().indexOf("[sshd-allow]"),
        result.out().indexOf("[sshd]"));
    assertTrue(allow.contains("  journal: _SYSTEMD_UNIT=sshd.service + _SYSTEMD_UNIT=ssh.service"),
        allow);
    assertFalse(result.out().contains("logpath:"), result.out());
  }

  @Test
  void checkConfigRejectsAMatchJournalctlWouldMisread() throws Exception {
    config.write("jail.local", Files.readString(config.dir.resolve("jail.local"))
        .replace("journalmatch = _SYSTEMD_UNIT=sshd.service + _COMM=sshd",
            "journalmatch = /usr/sbin/sshd"));
    Result result = vouch("check-config");
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("[sshd] journalmatch: expected FIELD=value terms such as"
        + " _SYSTEMD_UNIT=sshd.service"), result.err());
  }

  @Test
  void aReplayReadsTheJournalAndPrintsWhatItDecided() throws Exception {
    Instant t = Instant.now().minus(Duration.ofDays(1));
    journal.append(TestJournal.sshd(t, 7, "Accepted publickey for alice from 198.51.100.4 port"
        + " 22 ssh2"));
    for (int i = 1; i <= 3; i++) {
      journal.append(TestJournal.sshd(t.plusSeconds(i), 8, "Failed password for root from"
          + " 203.0.113.50 port 22 ssh2"));
    }
    Result result = vouch("run", "--replay");
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("Replayed 8 lines of 2 journal queries"), result.out());
    assertTrue(result.out().contains("sshd-allow: vouched for 1 address"), result.out());
    assertTrue(Files.readString(config.dir.resolve("state/decisions.log"))
        .contains("203.0.113.50"));
  }
}
