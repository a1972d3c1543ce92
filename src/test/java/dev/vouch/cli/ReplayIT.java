package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `vouch run --replay`: the same answer every time, whatever the logs and their readers. */
class ReplayIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();

  @TempDir Path dir;
  private Path conf;

  @BeforeEach
  void setUp() throws IOException {
    conf = dir.resolve("conf");
    Files.createDirectories(conf.resolve("filter.d"));
    Files.writeString(conf.resolve("vouch.conf"), """
        [Definition]
        dbfile = state/vouch
        socket = state/vouch.sock
        loglevel = WARNING
        [fail2ban]
        sync = off
        """);
    Files.writeString(conf.resolve("filter.d/sshd-fail.conf"), """
        [Definition]
        failregex = ^\\s*\\S+ sshd\\[\\d+\\]: Failed password for \\S+ from <ADDR> port \\d+
        """);
    Files.writeString(conf.resolve("jail.local"), """
        [DEFAULT]
        ignoreself = false
        [sshd-allow]
        enabled = true
        filter = sshd-success
        logpath = %s
        allowfor = sshd
        [sshd]
        enabled = true
        filter = sshd-fail
        logpath = %s
        maxretry = 3
        """.formatted(dir.resolve("logins.log"), dir.resolve("failures.log")));
  }

  private String replay() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new Main(new CliContext(new PrintWriter(out), new PrintWriter(err),
        new ByteArrayInputStream(new byte[0]), Clock.systemDefaultZone(), PROJECT,
        Optional.empty())).run(new String[] {"-c", conf.toString(), "run", "--replay"});
    assertEquals(0, exit, err.toString());
    return out.toString();
  }

  private static String failure(String time, String address) {
    return "Mar  1 " + time + " host1 sshd[7]: Failed password for bob from " + address
        + " port 22 ssh2";
  }

  /**
   * A login in one log and failures in another are replayed in the order of their times: the
   * failures before the login count, the ones after it are spared. The login log is long, so its
   * reader is the slower one; the order must not depend on that.
   */
  @Test
  void logsAreReplayedInTheOrderOfTime() throws IOException {
    StringBuilder logins = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      logins.append("Mar  1 07:00:00 host1 CRON[1]: pam_unix(cron:session): session opened\n");
    }
    logins.append("Mar  1 08:00:00 host1 sshd[5]: Accepted publickey for bob from 192.0.2.7"
        + " port 22 ssh2\n");
    Files.writeString(dir.resolve("logins.log"), logins);
    Files.writeString(dir.resolve("failures.log"), String.join("\n",
        failure("07:30:00", "192.0.2.7"), failure("07:30:01", "192.0.2.7"),
        failure("09:00:00", "192.0.2.7"), failure("09:00:01", "192.0.2.7"),
        failure("09:00:02", "192.0.2.7"), failure("09:00:03", "192.0.2.7")) + "\n");
    for (int run = 0; run < 3; run++) {
      String summary = replay();
      assertTrue(summary.contains("sshd: 2 failures counted, 0 bans (0 in force), 4 failures"
          + " spared"), summary);
    }
  }

  /** A second replay of the same logs into the same database gives the same totals. */
  @Test
  void replayingAgainGivesTheSameTotals() throws IOException {
    Files.writeString(dir.resolve("logins.log"), "Mar  1 08:00:00 host1 sshd[5]: Accepted"
        + " publickey for bob from 192.0.2.7 port 22 ssh2\n");
    Files.writeString(dir.resolve("failures.log"), String.join("\n", List.of(
        failure("08:10:00", "203.0.113.9"), failure("08:10:01", "203.0.113.9"),
        failure("08:10:02", "203.0.113.9"), failure("08:10:03", "192.0.2.7"))) + "\n");
    String first = replay();
    assertTrue(first.contains("sshd: 3 failures counted, 1 ban (1 in force), 1 failures"
        + " spared"), first);
    String second = replay();
    assertTrue(second.contains("Started over"), second);
    assertEquals(first.lines().filter(line -> line.startsWith("  ")).toList(),
        second.lines().filter(line -> line.startsWith("  ")).toList());
  }
}
