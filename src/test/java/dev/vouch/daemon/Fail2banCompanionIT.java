package dev.vouch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Evidence;
import dev.vouch.config.JailConfig;
import dev.vouch.config.JailDefinition;
import dev.vouch.config.JailsReader;
import dev.vouch.config.VouchConf;
import dev.vouch.fail2ban.Fail2banClient;
import dev.vouch.fail2ban.Fail2banServer;
import dev.vouch.fail2ban.IpEntry;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The companion against a real fail2ban-server: vouch keeps the ignore list of fail2ban's jail
 * equal to its allowlist, through restarts and reloads, and never touches fail2ban's own entries.
 */
class Fail2banCompanionIT {
  private static final Path INSTALL =
      Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();
  /** fail2ban's own entries, as it writes them (it masks 127.0.0.1/8 to 127.0.0.0/8). */
  private static final Set<String> OWN_ENTRIES = Set.of("127.0.0.0/8", "10.9.9.9");

  @TempDir Path dir;
  private Fail2banServer fail2ban;
  private Daemon daemon;
  private Path log;

  @AfterEach
  void tearDown() {
    if (daemon != null) {
      daemon.close();
    }
    if (fail2ban != null) {
      fail2ban.close();
    }
  }

  private Fail2banServer startFail2ban() {
    return Fail2banServer.builder(dir.resolve("fail2ban"))
        .jail("sshd", Map.of("ignoreip", "127.0.0.1/8 10.9.9.9")).start();
  }

  /** vouch with one allow jail vouching for fail2ban's sshd jail. */
  private Daemon startVouch(Path socket) throws Exception {
    Path conf = dir.resolve("vouch");
    Files.createDirectories(conf);
    log = conf.resolve("auth.log");
    if (!Files.exists(log)) {
      Files.writeString(log, "");
    }
    Files.writeString(conf.resolve("vouch.conf"), "[Definition]\ndbfile = state/vouch\n"
        + "socket = state/vouch.sock\n[fail2ban]\nsocket = " + socket + "\nsync = on\n"
        + "syncinterval = 2s\ntimeout = 3s\n");
    Files.writeString(conf.resolve("jail.local"), "[sshd-allow]\nenabled = true\n"
        + "filter = sshd-success\nlogpath = " + log + "\nallowfor = sshd\nallowtime = 1h\n");
    VouchConf settings = VouchConf.read(conf, INSTALL);
    List<JailConfig> jails = new JailsReader(conf, settings.filterSearchPath(),
        settings.actionSearchPath()).read().stream().filter(JailDefinition::enabled)
        .map(JailConfig::of).toList();
    return Daemon.start(settings, jails, Daemon.Mode.LIVE, Clock.systemDefaultZone(),
        Clock.systemDefaultZone().getZone());
  }

  private void login(String address) throws Exception {
    Files.writeString(log, "Mar  1 10:00:00 host1 sshd[1]: Accepted publickey for alice from "
        + address + " port 22 ssh2\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  private Set<String> ignoreip() {
    try (Fail2banClient client = fail2ban.client()) {
      return client.ignoreIp("sshd").stream().map(IpEntry::text).collect(Collectors.toSet());
    }
  }

  /**
   * Polls every 20 ms: fail2ban serves one connection at a time (backlog 1), so polling it much
   * faster would starve vouch's own requests.
   */
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

  @Test
  void aLoginReachesFail2bansIgnoreListWithinASecond() throws Exception {
    fail2ban = startFail2ban();
    daemon = startVouch(fail2ban.socket());
    assertTrue(await(() -> ignoreip().containsAll(OWN_ENTRIES), 5000));
    List<Long> latencies = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      String address = "198.51.100." + i;
      long start = System.nanoTime();
      login(address);
      assertTrue(await(() -> ignoreip().contains(address), 5000), address);
      latencies.add((System.nanoTime() - start) / 1_000_000);
    }
    latencies.sort(null);
    System.out.printf("companion: login line -> fail2ban ignoreip: p50 %d ms, p99 %d ms,"
        + " max %d ms over 100 lines%n", latencies.get(49), latencies.get(98), latencies.get(99));
    assertTrue(latencies.get(98) < 1000, "p99 " + latencies.get(98) + " ms");
    assertTrue(ignoreip().containsAll(OWN_ENTRIES));
  }

  @Test
  void allowancesComeBackAfterARestartAndAReloadAndExpiredOnesGo() throws Exception {
    fail2ban = startFail2ban();
    daemon = startVouch(fail2ban.socket());
    login("198.51.100.1");
    login("2001:db8::17");
    daemon.call(view -> view.allow(List.of(Cidr.parse("192.0.2.0/24")), List.of("sshd"),
        Optional.of(view.now().plusSeconds(2)), AllowSource.MANUAL, "", Evidence.note("short")));
    try (Fail2banClient client = fail2ban.client()) {
      client.addIgnoreIp("sshd", IpEntry.of(IpAddress.parse("203.0.113.250")));
    }
    assertTrue(await(() -> ignoreip().containsAll(Set.of("198.51.100.1", "2001:db8::/64",
        "192.0.2.0/24")), 5000), ignoreip().toString());
    // The short allowance ends: vouch takes its entry out, and only its own entry.
    assertTrue(await(() -> !ignoreip().contains("192.0.2.0/24"), 8000), ignoreip().toString());
    assertTrue(ignoreip().contains("203.0.113.250"), "an admin's entry must stay");

    fail2ban.restart();
    assertFalse(ignoreip().contains("198.51.100.1"), "a restart forgets runtime entries");
    long start = System.nanoTime();
    assertTrue(await(() -> ignoreip().containsAll(Set.of("198.51.100.1", "2001:db8::/64")),
        4000), ignoreip().toString());
    System.out.printf("companion: back after a fail2ban restart in %d ms%n",
        (System.nanoTime() - start) / 1_000_000);
    assertFalse(ignoreip().contains("192.0.2.0/24"));
    assertTrue(ignoreip().containsAll(OWN_ENTRIES));

    fail2ban.reload();
    start = System.nanoTime();
    assertTrue(await(() -> ignoreip().containsAll(Set.of("198.51.100.1", "2001:db8::/64")),
        4000), ignoreip().toString());
    System.out.printf("companion: back after fail2ban-client reload in %d ms%n",
        (System.nanoTime() - start) / 1_000_000);
    assertTrue(ignoreip().containsAll(OWN_ENTRIES));
  }

  @Test
  void vouchStartsWithFail2banDownAndCatchesUp() throws Exception {
    Path socket = dir.resolve("fail2ban/fail2ban.sock");
    daemon = startVouch(socket);
    login("198.51.100.7");
    assertTrue(await(() -> daemon.call(view -> view.check(IpAddress.parse("198.51.100.7"),
        Optional.of("sshd"))).isPresent(), 5000));
    fail2ban = startFail2ban();
    assertEquals(socket, fail2ban.socket());
    assertTrue(await(() -> ignoreip().contains("198.51.100.7"), 5000), ignoreip().toString());
  }

  @Test
  void anAddressBannedByFail2banIsUnbannedWhenItIsVouchedFor() throws Exception {
    fail2ban = startFail2ban();
    daemon = startVouch(fail2ban.socket());
    try (Fail2banClient client = fail2ban.client()) {
      client.banIp("sshd", IpAddress.parse("198.51.100.9"));
      assertTrue(client.isBanned("sshd", IpAddress.parse("198.51.100.9")));
    }
    login("198.51.100.9");
    assertTrue(await(() -> {
      try (Fail2banClient client = fail2ban.client()) {
        return !client.isBanned("sshd", IpAddress.parse("198.51.100.9"));
      }
    }, 5000));
    assertTrue(await(() -> daemon.history(IpAddress.parse("198.51.100.9"), 50).stream()
        .anyMatch(event -> event.kind().text().equals("fail2ban-unban")), 5000));
  }
}
