package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vouch.cli.InProcessVouch.Result;
import dev.vouch.daemon.Daemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host names, resolved for real by the JDK but without a network: the failsafe execution
 * {@code host-names} (pom.xml) points this JVM's resolver at a hosts file
 * ({@code jdk.net.hosts.file}, with the JDK's own cache off), which these tests rewrite to play
 * a dynamic DNS while a daemon re-resolves every second.
 */
class HostNameIT {
  private static Path hosts;

  @TempDir Path dir;
  private TestConfig config;
  private InProcessVouch vouch;

  @BeforeAll
  static void hostsFile() throws IOException {
    String file = System.getProperty("jdk.net.hosts.file");
    assumeTrue(file != null, "runs in the host-names failsafe execution, which sets"
        + " jdk.net.hosts.file");
    hosts = Path.of(file);
    Files.createDirectories(hosts.getParent());
  }

  @BeforeEach
  void setUp() throws IOException {
    config = new TestConfig(dir.resolve("conf"));
    config.write("vouch.conf", """
        [Definition]
        dbfile = state/vouch
        socket = state/vouch.sock
        dnsrefresh = 1s
        [fail2ban]
        sync = off
        """);
    vouch = new InProcessVouch(config);
    resolve("office.example.net", "192.0.2.10", "2001:db8::10");
  }

  /** Makes the hosts file say that {@code name} has exactly {@code addresses}. */
  private static void resolve(String name, String... addresses) throws IOException {
    StringBuilder text = new StringBuilder("127.0.0.1 localhost\n");
    for (String address : addresses) {
      text.append(address).append(' ').append(name).append('\n');
    }
    Path next = hosts.resolveSibling("hosts.next");
    Files.writeString(next, text);
    Files.move(next, hosts, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Runs {@code args} until {@code done} holds for the result (10 s at most). */
  private Result await(Predicate<Result> done, String... args) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    Result result = vouch.run(args);
    while (!done.test(result) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      result = vouch.run(args);
    }
    return result;
  }

  @Test
  void allowedNameFollowsItsAddressesWhileTheDaemonRuns() throws Exception {
    try (Daemon daemon = vouch.startDaemon()) {
      Result added = vouch.run("allow", "add", "Office.Example.NET.", "--jail", "sshd",
          "--ttl", "7d", "--note", "home");
      assertEquals(0, added.exit(), added.err());
      assertTrue(added.out().contains("allowed 192.0.2.10 for sshd"), added.out());
      assertTrue(added.out().contains("allowed 2001:db8::10 for sshd"), added.out());
      Result list = vouch.run("allow", "list");
      assertTrue(list.out().contains("dns (office.example.net): home"), list.out());

      resolve("office.example.net", "192.0.2.20", "2001:db8::10");
      Result moved = await(result -> result.exit() == 0, "allow", "check", "192.0.2.20",
          "--jail", "sshd");
      assertEquals(0, moved.exit(), moved.out() + moved.err());
      assertTrue(moved.out().contains("(dns (office.example.net): home), 6d 23h left"),
          moved.out());
      assertEquals(1, vouch.run("allow", "check", "192.0.2.10").exit());
      assertEquals(0, vouch.run("allow", "check", "2001:db8::10").exit());

      Result dropped = vouch.run("explain", "192.0.2.10");
      assertTrue(dropped.out().contains("no allowance covers it"), dropped.out());
      assertTrue(dropped.out().contains("office.example.net no longer resolves to it"),
          dropped.out());
      Result gained = vouch.run("explain", "192.0.2.20");
      assertTrue(gained.out().contains("grant          sshd          dns by"
          + " office.example.net: home"), gained.out());
    }
  }

  @Test
  void nameThatStopsResolvingKeepsItsAddresses() throws Exception {
    try (Daemon daemon = vouch.startDaemon()) {
      assertEquals(0, vouch.run("allow", "add", "office.example.net").exit());
      resolve("elsewhere.example.net", "203.0.113.1");
      Thread.sleep(2500); // two rounds of dnsrefresh
      assertEquals(0, vouch.run("allow", "check", "192.0.2.10").exit());
      assertEquals(0, vouch.run("allow", "check", "2001:db8::10").exit());
      resolve("office.example.net", "192.0.2.30");
      assertEquals(1, await(result -> result.exit() == 1, "allow", "check", "192.0.2.10")
          .exit());
      assertEquals(0, vouch.run("allow", "check", "192.0.2.30").exit());
    }
  }

  @Test
  void ignoreipNameIsResolvedAndFollowedWithOrWithoutTheDaemon() throws Exception {
    config.write("jail.local", Files.readString(config.dir.resolve("jail.local"))
        .replace("bantime = 1h", "bantime = 1h\nignoreip = 192.0.2.0/28 gw.example.net"));
    resolve("gw.example.net", "198.51.100.7");
    Result offline = vouch.run("allow", "check", "198.51.100.7", "--jail", "sshd");
    assertEquals(0, offline.exit(), offline.out() + offline.err());
    assertEquals("198.51.100.7 is allowed for sshd by 198.51.100.7 (ignoreip of sshd:"
        + " gw.example.net), permanent\n", offline.out());
    assertEquals(0, vouch.run("ban", "198.51.100.8", "--jail", "sshd").exit());

    try (Daemon daemon = vouch.startDaemon()) {
      assertEquals(offline, vouch.run("allow", "check", "198.51.100.7", "--jail", "sshd"));
      resolve("gw.example.net", "198.51.100.8");
      Result moved = await(result -> result.exit() == 0, "allow", "check", "198.51.100.8",
          "--jail", "sshd");
      assertEquals(0, moved.exit(), moved.out() + moved.err());
      assertEquals(1, vouch.run("allow", "check", "198.51.100.7", "--jail", "sshd").exit());
      assertTrue(vouch.run("status", "sshd").out().contains("Currently banned:\t0"));
      Result explain = vouch.run("explain", "198.51.100.8");
      assertTrue(explain.out().contains("ignoreip gw.example.net resolves to it"),
          explain.out());
      assertTrue(explain.out().contains("unban"), explain.out());
      assertTrue(vouch.run("explain", "198.51.100.7").out()
          .contains("ignoreip gw.example.net no longer resolves to it"));
      Result list = vouch.run("allow", "list", "--jail", "sshd");
      assertTrue(list.out().contains("ignoreip of sshd: gw.example.net"), list.out());
      assertTrue(list.out().contains("192.0.2.0/28"), list.out());
    }
  }

  @Test
  void nameThatDoesNotResolveIsRefusedAndChangesNothing() throws Exception {
    Result offline = vouch.run("allow", "add", "192.0.2.99", "nowhere.example.net");
    assertEquals(1, offline.exit());
    assertEquals("vouch: cannot resolve nowhere.example.net: no address found for it, so"
        + " nothing was allowed. Check the name (and this machine's DNS), or give the"
        + " addresses instead.\n", offline.err());
    assertEquals("no allowances\n", vouch.run("allow", "list").out());
    try (Daemon daemon = vouch.startDaemon()) {
      assertEquals(offline, vouch.run("allow", "add", "192.0.2.99", "nowhere.example.net"));
      assertEquals("no allowances\n", vouch.run("allow", "list").out());
    }
  }

  @Test
  void namesAnswerTheSameWithAndWithoutTheDaemon() throws Exception {
    String[][] commands = {
        {"allow", "add", "office.example.net", "--jail", "sshd", "--ttl", "7d", "--note", "home"},
        {"allow", "add", "office.example.net", "--permanent"},
        {"allow", "list"},
        {"allow", "check", "2001:db8::10", "--jail", "sshd"},
        {"explain", "192.0.2.10"},
        {"allow", "remove", "office.example.net", "--jail", "sshd"},
        {"allow", "list", "--format", "json"},
        {"allow", "remove", "office.example.net"},
        {"allow", "remove", "office.example.net"},
        {"allow", "add", "-", "--jail", "sshd"},
    };
    String offline = session(commands);
    vouch.deleteDatabase();
    String live;
    try (Daemon daemon = vouch.startDaemon()) {
      live = session(commands);
    }
    assertEquals(offline, live);
    assertTrue(offline.contains("allow remove office.example.net -> 1"), offline);
    assertFalse(offline.contains("Exception"), offline);
  }

  private String session(String[][] commands) {
    StringBuilder transcript = new StringBuilder();
    for (String[] command : commands) {
      transcript.append(InProcessVouch.transcript(command, vouch.run(command)));
    }
    return transcript.toString();
  }
}
