package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.cli.InProcessVouch.Result;
import dev.vouch.daemon.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every state command, without a daemon and against a live one over its socket. */
class CommandLineIT {
  @TempDir Path dir;
  private TestConfig config;
  private InProcessVouch vouch;

  @BeforeEach
  void setUp() throws Exception {
    config = new TestConfig(dir.resolve("conf"));
    vouch = new InProcessVouch(config);
  }

  /** The answers of a sequence of commands, to compare a live run with an offline one. */
  private String session(String[]... commands) {
    StringBuilder transcript = new StringBuilder();
    for (String[] command : commands) {
      transcript.append(InProcessVouch.transcript(command, vouch.run(command)));
    }
    return transcript.toString();
  }

  /** The same commands offline, then on a fresh database through a live daemon. */
  private List<String> offlineAndLive(String[]... commands) throws Exception {
    String offline = session(commands);
    vouch.deleteDatabase();
    String live;
    try (Daemon daemon = vouch.startDaemon()) {
      assertTrue(Files.exists(config.dir.resolve("state/vouch.sock")));
      live = session(commands);
    }
    return List.of(offline, live);
  }

  @Test
  void everyCommandAnswersTheSameWithAndWithoutTheDaemon() throws Exception {
    Path file = dir.resolve("offices.txt");
    Files.writeString(file, "# offices\n203.0.113.0/28 jail=sshd note=\"branch\"\n");
    List<String> answers = offlineAndLive(
        new String[] {"allow", "add", "192.0.2.0/24", "--ttl", "7d", "--note", "office"},
        new String[] {"allow", "add", "198.51.100.4", "--jail", "sshd"},
        new String[] {"allow", "add", "2001:db8:1::/48", "--jail", "sshd", "--jail",
            "sshd-allow", "--permanent"},
        new String[] {"allow", "check", "192.0.2.77"},
        new String[] {"allow", "check", "192.0.2.77", "--jail", "sshd"},
        new String[] {"allow", "check", "203.0.113.9"},
        new String[] {"allow", "check", "2001:db8:1::5", "--format", "json"},
        new String[] {"ban", "203.0.113.9", "--jail", "sshd"},
        new String[] {"ban", "203.0.113.10", "--jail", "sshd", "--time", "2h"},
        new String[] {"ban", "198.51.100.4", "--jail", "sshd"},
        new String[] {"ban", "203.0.113.11", "--jail", "sshd-allow"},
        new String[] {"status"},
        new String[] {"status", "sshd"},
        new String[] {"status", "sshd", "--format", "json"},
        new String[] {"explain", "198.51.100.4"},
        new String[] {"explain", "203.0.113.9", "--format", "json"},
        new String[] {"unban", "203.0.113.9"},
        new String[] {"unban", "203.0.113.9"},
        new String[] {"unban", "203.0.113.10", "--jail", "sshd"},
        new String[] {"allow", "remove", "198.51.100.4"},
        new String[] {"allow", "remove", "198.51.100.4"},
        new String[] {"allow", "import", file.toString()},
        new String[] {"allow", "list"},
        new String[] {"allow", "list", "--jail", "sshd-allow", "--format", "json"},
        new String[] {"allow", "list", "--expired"},
        new String[] {"allow", "export"},
        new String[] {"allow", "prune"},
        new String[] {"allow", "list", "--format", "json"});
    String offline = answers.get(0);
    assertEquals(offline, answers.get(1));
    assertTrue(offline.contains("allow check 192.0.2.77 -> 0"), offline);
    assertTrue(offline.contains("allow check 203.0.113.9 -> 1"), offline);
    assertTrue(offline.contains("ban 198.51.100.4 --jail sshd -> 1"), offline);
    assertTrue(offline.contains("ban 203.0.113.11 --jail sshd-allow -> 1"), offline);
    assertTrue(offline.contains("unban 203.0.113.9 -> 1"), offline);
    assertTrue(offline.contains("allow remove 198.51.100.4 -> 1"), offline);
    assertTrue(offline.contains("imported 1 allowance"), offline);
    assertFalse(offline.contains("Exception"), offline);
  }

  /**
   * Each bad command gets a clear message and its exit code, and changes nothing: the same
   * without a daemon and through a live one.
   */
  @Test
  void badInputGetsAClearMessageAndExitCodeAndChangesNothing() throws Exception {
    Path file = dir.resolve("bad.txt");
    Files.writeString(file, "# offices\n192.0.2.0/24 note=\"one\"\n198.51.100.0/24 jail=sshd\n"
        + "10.0.0.300\n");
    Path json = dir.resolve("bad.json");
    Files.writeString(json, "[{\"network\": \"192.0.2.0/24\"}, {\"network\": \"::/0\"}]");
    List<Bad> bad = List.of(
        new Bad(2, "vouch: not an IP address: 999.1.1.1\n", "allow", "add", "999.1.1.1"),
        new Bad(2, "vouch: not an IP network: 1.2.3.4/33 (an IPV4 prefix is 0 to 32)\n",
            "allow", "add", "1.2.3.4/33"),
        new Bad(2, "vouch: ::/0 allows every IPV6 address, which turns the failure jails off;"
            + " use --force if that is really meant\n", "allow", "add", "::/0"),
        new Bad(2, "vouch: 0.0.0.0/0 allows every IPV4 address, which turns the failure jails"
            + " off; use --force if that is really meant\n", "allow", "add", "192.0.2.1",
            "0.0.0.0/0"),
        new Bad(2, "leading zero", "allow", "add", "010.1.1.1"),
        new Bad(2, "vouch: 0.0.0.0 is the unspecified address; no client has it\n", "allow",
            "add", "0.0.0.0"),
        new Bad(2, "no jail named nosuch", "allow", "add", "192.0.2.1", "--jail", "nosuch"),
        new Bad(2, "vouch: --ttl: expected a positive duration like 7d (use --permanent for no"
            + " end). Found: -5m\n", "allow", "add", "192.0.2.1", "--ttl", "-5m"),
        new Bad(2, "vouch: --ttl: expected a duration like 30m, 12h, 7d or 2w. Found: 10x\n",
            "allow", "add", "192.0.2.1", "--ttl", "10x"),
        new Bad(2, "mutually exclusive", "allow", "add", "192.0.2.1", "--ttl", "1d",
            "--permanent"),
        new Bad(2, "is not an IP address, a network (ADDR/LEN) or a host name", "allow", "add",
            "bad_name!"),
        new Bad(2, "vouch: 999.1.1.1 is not an IP address\n", "allow", "check", "999.1.1.1"),
        new Bad(2, "no jail named nosuch", "allow", "check", "192.0.2.1", "--jail", "nosuch"),
        new Bad(2, "vouch: --format: expected text or json. Found: xml\n", "allow", "list",
            "--format", "xml"),
        new Bad(2, "no jail named nosuch", "ban", "192.0.2.1", "--jail", "nosuch"),
        new Bad(2, "Missing required option: '--jail=JAIL'", "ban", "192.0.2.1"),
        new Bad(2, "no jail named nosuch", "unban", "192.0.2.1", "--jail", "nosuch"),
        new Bad(2, "no jail named nosuch", "status", "nosuch"),
        new Bad(2, "vouch: 999.1.1.1 is not an IP address\n", "explain", "999.1.1.1"),
        new Bad(2, "vouch: " + file + ":4: not an IP address: 10.0.0.300. Nothing was"
            + " imported.\n", "allow", "import", file.toString()),
        new Bad(2, "vouch: " + json + ": entry 2: ::/0 allows every IPV6 address, which turns"
            + " the failure jails off; use --force if that is really meant. Nothing was"
            + " imported.\n", "allow", "import", json.toString()),
        new Bad(2, "vouch: no such file: " + dir.resolve("missing.txt") + "\n", "allow",
            "import", dir.resolve("missing.txt").toString()));

    vouch.run("allow", "add", "198.51.100.9", "--note", "there before");
    String before = state();
    checkBad(bad);
    assertEquals(before, state());

    try (Daemon daemon = vouch.startDaemon()) {
      assertEquals(before, state());
      checkBad(bad);
      assertEquals(before, state());
      // --force does allow everything, when meant.
      assertEquals(0, vouch.run("allow", "add", "::/0", "--force", "--ttl", "1h").exit());
      assertEquals(0, vouch.run("allow", "check", "2001:db8::1").exit());
    }
  }

  /**
   * A companion set-up: the allow jail vouches for fail2ban's jail "recidive", which vouch does
   * not run; allow add, check and list take that name, with and without the daemon, and a name
   * no allowfor lists is still refused.
   */
  @Test
  void aJailThatAnAllowforNamesIsAScope() throws Exception {
    String jails = Files.readString(config.dir.resolve("jail.local"));
    config.write("jail.local", jails.replace("allowfor = sshd", "allowfor = sshd recidive"));
    List<String> answers = offlineAndLive(
        new String[] {"allow", "add", "192.0.2.7", "--jail", "recidive", "--ttl", "1h"},
        new String[] {"allow", "check", "192.0.2.7", "--jail", "recidive"},
        new String[] {"allow", "check", "192.0.2.7", "--jail", "sshd"},
        new String[] {"allow", "list", "--jail", "recidive"},
        new String[] {"allow", "add", "192.0.2.8", "--jail", "nosuch"});
    assertEquals(answers.get(0), answers.get(1));
    assertTrue(answers.get(0).contains("allowed 192.0.2.7 for recidive, 59m "), answers.get(0));
    assertTrue(answers.get(0).contains("192.0.2.7 is not allowed for sshd"), answers.get(0));
    assertTrue(answers.get(0).contains("no jail named nosuch; the jails are: sshd, sshd-allow,"
        + " recidive"), answers.get(0));
  }

  /**
   * The hand-off of a login seen elsewhere (actions/vouch-allow.conf): kept apart from the
   * admin's entry for the same address, extended by a later login, never shortened, and as wide
   * as the allow jail of that name grants (an IPv6 address: its /64).
   */
  @Test
  void aLoginHandedOverIsKeptApartAndOnlyExtended() throws Exception {
    List<String> answers = offlineAndLive(
        new String[] {"allow", "add", "192.0.2.20", "--permanent", "--note", "admin"},
        new String[] {"allow", "add", "192.0.2.20", "--jail", "sshd", "--ttl", "2h", "--login",
            "sshd-allow", "--user", "bob"},
        new String[] {"allow", "add", "192.0.2.20", "--jail", "sshd", "--ttl", "10m", "--login",
            "sshd-allow"},
        new String[] {"allow", "add", "2001:db8:5:6::7", "--jail", "sshd", "--ttl", "1h",
            "--login", "sshd-allow"},
        new String[] {"allow", "list"},
        new String[] {"allow", "add", "192.0.2.0/24", "--login", "sshd-allow"},
        new String[] {"allow", "add", "192.0.2.21", "--user", "bob"});
    assertEquals(answers.get(0), answers.get(1));
    String transcript = answers.get(0);
    assertTrue(transcript.matches("(?s).*\\n192\\.0\\.2\\.20 +\\* +permanent +manual: admin\\n"
        + "192\\.0\\.2\\.20 +sshd +1h 59m left +login \\(sshd-allow\\)\\n.*"), transcript);
    assertTrue(transcript.contains("allowed 2001:db8:5:6::/64 for sshd, 59m "), transcript);
    assertTrue(transcript.contains("vouch: --login takes addresses (a login comes from one),"
        + " not 192.0.2.0/24"), transcript);
    assertTrue(transcript.contains("vouch: --user goes with --login (who logged in)"),
        transcript);
  }

  /** A bad command: the exit code and message it must get. */
  private record Bad(int exit, String message, String... args) {}

  private void checkBad(List<Bad> bad) {
    List<String> failures = new ArrayList<>();
    for (Bad command : bad) {
      Result result = vouch.run(command.args());
      String line = String.join(" ", command.args());
      if (result.exit() != command.exit() || !result.err().contains(command.message())
          || !result.out().isEmpty()) {
        failures.add(line + " -> " + result.exit() + "\n" + result.out() + result.err());
      }
    }
    assertEquals(List.of(), failures);
  }

  /** Everything a command can see: allowances (ended ones too) and bans. */
  private String state() {
    return vouch.run("allow", "list", "--expired", "--format", "json").out()
        + vouch.run("status", "--format", "json").out().replaceFirst("\"running\": \\w+", "");
  }

  @Test
  void databaseHeldByADaemonThatDoesNotAnswerSaysSoAndWhatToDo() throws Exception {
    try (Daemon daemon = vouch.startDaemon()) {
      Result result = vouch.run("--socket", dir.resolve("elsewhere.sock").toString(), "allow",
          "list");
      assertEquals(3, result.exit(), result.err());
      assertEquals("vouch: the database " + config.dir.resolve("state/vouch") + " is in use by"
          + " another process, and no vouch daemon answers on " + dir.resolve("elsewhere.sock")
          + " (no vouch daemon: " + dir.resolve("elsewhere.sock") + " does not exist). If a"
          + " vouch daemon runs, it may be stuck: look at its log, or restart it (systemctl"
          + " restart vouch); give --socket if it listens elsewhere.\n", result.err());
    }
  }

  @Test
  void importAndExportRoundTrip() throws Exception {
    Path file = dir.resolve("offices.txt");
    Files.writeString(file, "# offices\n192.0.2.0/24 note=\"Berlin office\"\n"
        + "198.51.100.0/24 jail=sshd until=2099-01-01T00:00:00Z\n2001:db8:1::/48\n");
    Result imported = vouch.run("allow", "import", file.toString());
    assertEquals(0, imported.exit(), imported.err());
    assertEquals("imported 3 allowances\n", imported.out());
    Result exported = vouch.run("allow", "export");
    assertTrue(exported.out().contains("192.0.2.0/24 jail=* until=permanent source=import"
        + " note=\"Berlin office\""), exported.out());
    assertTrue(exported.out().contains("198.51.100.0/24 jail=sshd until=2099-01-01T00:00:00Z"),
        exported.out());
    Path again = dir.resolve("again.json");
    try (Daemon daemon = vouch.startDaemon()) {
      assertEquals(0, vouch.run("allow", "export", "--format", "json", again.toString()).exit());
      vouch.run("allow", "remove", "192.0.2.0/24", "198.51.100.0/24", "2001:db8:1::/48");
      assertEquals(1, vouch.run("allow", "check", "2001:db8:1:5::1").exit());
      Result fromStdin = vouch.runWithInput(Files.readString(again), "allow", "import", "-");
      assertEquals("imported 3 allowances\n", fromStdin.out(), fromStdin.err());
      assertEquals(0, vouch.run("allow", "check", "2001:db8:1:5::1").exit());
    }
    assertEquals(exported.out().lines().skip(1).toList(),
        vouch.run("allow", "export").out().lines().skip(1).toList());
    // Standard input without the daemon too (it is read once, checked, then imported).
    Result offline = vouch.runWithInput("# one more\n192.0.2.200 jail=sshd\n", "allow",
        "import", "-");
    assertEquals("imported 1 allowance\n", offline.out(), offline.err());
    assertEquals(0, vouch.run("allow", "check", "192.0.2.200", "--jail", "sshd").exit());
  }

  @Test
  void explainTellsWhyAnAddressWasBanned() throws Exception {
    try (Daemon daemon = vouch.startDaemon()) {
      config.append(TestConfig.success("198.51.100.4", 11), TestConfig.failure("203.0.113.7", 21),
          TestConfig.failure("203.0.113.7", 22), TestConfig.failure("203.0.113.7", 23),
          TestConfig.failure("198.51.100.4", 24));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (vouch.run("status", "sshd").out().contains("Currently banned:\t0")
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Result explain = vouch.run("explain", "203.0.113.7");
      assertEquals(0, explain.exit(), explain.err());
      assertTrue(explain.out().contains("banned in sshd"), explain.out());
      assertTrue(explain.out().contains("Failed password for root from 203.0.113.7"),
          explain.out());
      Result spared = vouch.run("explain", "198.51.100.4");
      assertTrue(spared.out().contains("spared"), spared.out());
      assertTrue(spared.out().contains("allowed for sshd"), spared.out());
      Result json = vouch.run("explain", "203.0.113.7", "--format", "json");
      assertTrue(json.out().contains("\"kind\": \"ban\""), json.out());
    }
  }

  @Test
  void checkConfigNamesFileAndLineOfATypo() throws Exception {
    assertEquals(0, vouch.run("check-config").exit());
    config.write("jail.local", Files.readString(config.dir.resolve("jail.local"))
        .replace("bantime = 1h", "bantime = 1x"));
    Result result = vouch.run("check-config");
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("jail.local:"), result.err());
    assertTrue(result.err().contains("1x"), result.err());
    assertFalse(result.err().contains("Exception"), result.err());
  }

  @Test
  void testFilterPrintsOneJsonObjectPerLine() throws Exception {
    Path log = dir.resolve("sample.log");
    Files.writeString(log, TestConfig.success("198.51.100.4", 11) + "\nnoise\n");
    Result result = vouch.run("test-filter", "--format", "json", "sshd-success", log.toString());
    assertEquals(0, result.exit(), result.err());
    String[] lines = result.out().split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].startsWith("{\"line\":1,\"result\":\"match\",\"host\":\"198.51.100.4\""),
        lines[0]);
    assertTrue(lines[0].contains("\"user\":\"alice\""), lines[0]);
    assertEquals("{\"line\":2,\"result\":\"miss\"}", lines[1]);
  }
}
