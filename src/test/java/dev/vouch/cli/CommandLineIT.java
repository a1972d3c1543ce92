package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.config.VouchConf;
import dev.vouch.daemon.Daemon;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every state command, without a daemon and against a live one over its socket. */
class CommandLineIT {
  @TempDir Path dir;
  private TestConfig config;
  private final Path install = Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void setUp() throws Exception {
    config = new TestConfig(dir.resolve("conf"));
  }

  private Result vouchWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new Main(new CliContext(new PrintWriter(out), new PrintWriter(err),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        Clock.systemDefaultZone(), install, Optional.empty())).run(withConf(args));
    return new Result(exit, out.toString(), err.toString());
  }

  private Result vouch(String... args) {
    return vouchWithInput("", args);
  }

  private String[] withConf(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "-c";
    all[1] = config.dir.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return all;
  }

  /** A live daemon with its control socket, as vouch run builds them. */
  private Daemon startDaemon() {
    StringWriter out = new StringWriter();
    CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(out),
        System.in, Clock.systemDefaultZone(), install, Optional.empty());
    VouchConf conf = VouchConf.read(config.dir, install);
    Daemon daemon = Daemon.start(conf, ConfigLoader.jails(conf), Daemon.Mode.LIVE,
        Clock.systemDefaultZone(), Clock.systemDefaultZone().getZone());
    daemon.attach(RunCommand.serve(conf, daemon, context));
    return daemon;
  }

  /** The answers of a sequence of commands, to compare a live run with an offline one. */
  private String session() {
    StringBuilder transcript = new StringBuilder();
    String[][] commands = {
        {"allow", "add", "192.0.2.0/24", "--ttl", "7d", "--note", "office"},
        {"allow", "add", "198.51.100.4", "--jail", "sshd"},
        {"allow", "check", "192.0.2.77"},
        {"allow", "check", "192.0.2.77", "--jail", "sshd"},
        {"allow", "check", "203.0.113.9"},
        {"ban", "203.0.113.9", "--jail", "sshd"},
        {"ban", "198.51.100.4", "--jail", "sshd"},
        {"status"},
        {"status", "sshd"},
        {"unban", "203.0.113.9"},
        {"unban", "203.0.113.9"},
        {"allow", "remove", "198.51.100.4"},
        {"allow", "remove", "198.51.100.4"},
        {"allow", "list", "--format", "json"},
    };
    for (String[] command : commands) {
      Result result = vouch(command);
      transcript.append(String.join(" ", command)).append(" -> ").append(result.exit())
          .append('\n').append(result.out().replaceAll("\\d+d \\d+h left", "T left")
              .replaceAll("\"(created|renewed|expires|since|until)\": \"[^\"]*\"", "\"$1\": T"));
    }
    return transcript.toString();
  }

  @Test
  void everyCommandAnswersTheSameWithAndWithoutTheDaemon() throws Exception {
    String offline = session();
    // Start afresh, then the same commands through a live daemon.
    for (String name : new String[] {"vouch.script", "vouch.log", "vouch.properties",
        "vouch.data", "vouch.lock"}) {
      Files.deleteIfExists(config.dir.resolve("state").resolve(name));
    }
    String live;
    try (Daemon daemon = startDaemon()) {
      assertTrue(Files.exists(config.dir.resolve("state/vouch.sock")));
      live = session();
    }
    assertEquals(offline, live);
    assertTrue(offline.contains("allow check 192.0.2.77 -> 0"), offline);
    assertTrue(offline.contains("allow check 203.0.113.9 -> 1"), offline);
    assertTrue(offline.contains("ban 198.51.100.4 --jail sshd -> 1"), offline);
    assertTrue(offline.contains("unban 203.0.113.9 -> 1"), offline);
    assertTrue(offline.contains("allow remove 198.51.100.4 -> 1"), offline);
  }

  @Test
  void badInputGetsAClearMessageAndExitCodeAndChangesNothing() throws Exception {
    assertBad(2, "not an IP address", "allow", "add", "999.1.1.1");
    assertBad(2, "prefix", "allow", "add", "1.2.3.4/33");
    assertBad(2, "--force", "allow", "add", "::/0");
    assertBad(2, "--force", "allow", "add", "0.0.0.0/0");
    assertBad(1, "cannot resolve", "allow", "add", "no-such-host.invalid");
    assertBad(2, "no jail named nosuch", "allow", "add", "192.0.2.1", "--jail", "nosuch");
    assertBad(2, "positive duration", "allow", "add", "192.0.2.1", "--ttl", "-5m");
    assertBad(2, "not an IP address", "allow", "check", "999.1.1.1");
    assertBad(2, "no jail named nosuch", "ban", "192.0.2.1", "--jail", "nosuch");
    Path file = dir.resolve("bad.txt");
    Files.writeString(file, "# offices\n192.0.2.0/24 note=\"one\"\n198.51.100.0/24 jail=sshd\n"
        + "10.0.0.300\n");
    assertBad(2, "bad.txt:4:", "allow", "import", file.toString());
    Result list = vouch("allow", "list");
    assertEquals("no allowances\n", list.out());
    // --force does allow everything, when meant.
    assertEquals(0, vouch("allow", "add", "::/0", "--force", "--ttl", "1h").exit());
  }

  private void assertBad(int exit, String message, String... args) {
    Result result = vouch(args);
    assertEquals(exit, result.exit(), String.join(" ", args) + ": " + result.err());
    assertTrue(result.err().contains(message), String.join(" ", args) + ": " + result.err());
  }

  @Test
  void importAndExportRoundTrip() throws Exception {
    Path file = dir.resolve("offices.txt");
    Files.writeString(file, "# offices\n192.0.2.0/24 note=\"Berlin office\"\n"
        + "198.51.100.0/24 jail=sshd until=2099-01-01T00:00:00Z\n2001:db8:1::/48\n");
    Result imported = vouch("allow", "import", file.toString());
    assertEquals(0, imported.exit(), imported.err());
    assertEquals("imported 3 allowances\n", imported.out());
    Result exported = vouch("allow", "export");
    assertTrue(exported.out().contains("192.0.2.0/24 jail=* until=permanent source=import"
        + " note=\"Berlin office\""), exported.out());
    assertTrue(exported.out().contains("198.51.100.0/24 jail=sshd until=2099-01-01T00:00:00Z"),
        exported.out());
    Result json = vouch("allow", "export", "--format", "json");
    Path again = dir.resolve("again.json");
    Files.writeString(again, json.out());
    vouch("allow", "remove", "192.0.2.0/24", "198.51.100.0/24", "2001:db8:1::/48");
    assertEquals(0, vouch("allow", "import", again.toString()).exit());
    assertEquals(0, vouch("allow", "check", "2001:db8:1:5::1").exit());
  }

  @Test
  void explainTellsWhyAnAddressWasBanned() throws Exception {
    try (Daemon daemon = startDaemon()) {
      config.append(TestConfig.success("198.51.100.4", 11), TestConfig.failure("203.0.113.7", 21),
          TestConfig.failure("203.0.113.7", 22), TestConfig.failure("203.0.113.7", 23),
          TestConfig.failure("198.51.100.4", 24));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (vouch("status", "sshd").out().contains("Currently banned:\t0")
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Result explain = vouch("explain", "203.0.113.7");
      assertEquals(0, explain.exit(), explain.err());
      assertTrue(explain.out().contains("banned in sshd"), explain.out());
      assertTrue(explain.out().contains("Failed password for root from 203.0.113.7"),
          explain.out());
      Result spared = vouch("explain", "198.51.100.4");
      assertTrue(spared.out().contains("spared"), spared.out());
      assertTrue(spared.out().contains("allowed for sshd"), spared.out());
      Result json = vouch("explain", "203.0.113.7", "--format", "json");
      assertTrue(json.out().contains("\"kind\": \"ban\""), json.out());
    }
  }

  @Test
  void checkConfigNamesFileAndLineOfATypo() throws Exception {
    assertEquals(0, vouch("check-config").exit());
    config.write("jail.local", Files.readString(config.dir.resolve("jail.local"))
        .replace("bantime = 1h", "bantime = 1x"));
    Result result = vouch("check-config");
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("jail.local:"), result.err());
    assertTrue(result.err().contains("1x"), result.err());
    assertFalse(result.err().contains("Exception"), result.err());
  }

  @Test
  void testFilterPrintsOneJsonObjectPerLine() throws Exception {
    Path log = dir.resolve("sample.log");
    Files.writeString(log, TestConfig.success("198.51.100.4", 11) + "\nnoise\n");
    Result result = vouch("test-filter", "--format", "json", "sshd-success", log.toString());
    assertEquals(0, result.exit(), result.err());
    String[] lines = result.out().split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].startsWith("{\"line\":1,\"result\":\"match\",\"host\":\"198.51.100.4\""),
        lines[0]);
    assertTrue(lines[0].contains("\"user\":\"alice\""), lines[0]);
    assertEquals("{\"line\":2,\"result\":\"miss\"}", lines[1]);
  }
}
