package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * actions/fail2ban-ignoreip.conf (and its recipe name actions/ignoreip.conf) in a real
 * fail2ban-server 1.0.2 without vouch: a success jail's bans go into a failure jail's ignore
 * list, and fail2ban's banip, reload, restart and stop never wait for the action (reference §5.5).
 * The recipe's own action, which calls fail2ban-client inside the action, is run beside it for
 * contrast. Timings go to standard output.
 */
class CompanionIgnoreIpIT {
  /** The bound of fail2ban issue 3050 for a command that only starts a detached call. */
  private static final Duration AT_ONCE = Duration.ofSeconds(1);
  /** The bound for a stop or reload of a server whose actions never wait on its socket. */
  private static final Duration QUICK = Duration.ofSeconds(5);
  /** How long a detached call may take to show in fail2ban; generous for a loaded machine. */
  private static final Duration SETTLE = Duration.ofSeconds(20);
  /** The naive action's timeout: low, so that its hang (2 x timeout) keeps the test short. */
  private static final int NAIVE_TIMEOUT = 3;

  private static final String SUCCESS_FILTER = """
      [Definition]
      failregex = ^login of <F-USER>\\S+</F-USER> from <HOST>$
      datepattern = {NONE}
      """;

  /** The recipe's action as its users write it: fail2ban-client called inside the action. */
  private static final String NAIVE_ACTION = """
      [Definition]
      actionstart =
      actionstop =
      actioncheck =
      actionban = <client> set <name> addignoreip <ip>
      actionunban = <client> set <name> delignoreip <ip>
      [Init]
      client = fail2ban-client
      timeout = %d
      """.formatted(NAIVE_TIMEOUT);

  @TempDir Path dir;

  @Test
  void banipReturnsAtOnceAndTheFailureJailIgnoresTheAddressUntilTheUnban() throws IOException {
    try (Fail2banServer fail2ban = server(Map.of("sshd", Map.of("ignoreip", "192.0.2.99")),
            "ignoreip").start();
        Fail2banClient client = longClient(fail2ban)) {
      writeClientScript(fail2ban);
      // At this level fail2ban reads each command's output to its end (reference §5.3).
      client.call("set", "loglevel", "TRACEDEBUG");

      Duration banip = timed(() -> client.banIp("sshd-allow", ip("192.0.2.10")));
      awaitIgnored(client, "192.0.2.10", true);
      Duration stockBanip =
          fail2ban.fail2banClient("set", "sshd-allow", "banip", "192.0.2.13").elapsed();
      awaitIgnored(client, "192.0.2.13", true);
      fail2ban.appendLog("sshd-allow", "login of alice from 192.0.2.11");
      awaitIgnored(client, "192.0.2.11", true);
      print("ignoreip: banip over the socket " + ms(banip) + ", with the stock fail2ban-client "
          + ms(stockBanip) + "; log-triggered ban reached the ignore list");
      assertTrue(banip.compareTo(AT_ONCE) < 0, "banip took " + ms(banip));

      client.unban("sshd-allow", IpEntry.parse("192.0.2.10"));
      awaitIgnored(client, "192.0.2.10", false);

      // An address that the failure jail's own config ignores is never taken out by an unban.
      client.banIp("sshd-allow", ip("192.0.2.99"));
      awaitLog("192.0.2.99 is in the ignoreip of sshd already");
      client.unban("sshd-allow", IpEntry.parse("192.0.2.99"));
      client.banIp("sshd-allow", ip("192.0.2.12"));
      awaitLog("added 192.0.2.12 ");
      assertTrue(ignored(client).contains("192.0.2.99"), ignored(client).toString());
      assertEquals(List.of("192.0.2.13", "192.0.2.11", "192.0.2.12"),
          Files.readAllLines(runFile()), "the addresses the action added, in order");
    }
  }

  @Test
  void reloadAndStopFinishQuicklyAndTheEntriesComeBackAfterReloadAndRestart() throws IOException {
    try (Fail2banServer fail2ban = server(Map.of(), "fail2ban-ignoreip").start();
        Fail2banClient client = longClient(fail2ban)) {
      writeClientScript(fail2ban);
      client.banIp("sshd-allow", ip("192.0.2.20"));
      awaitIgnored(client, "192.0.2.20", true);

      // A ban whose detached call may still be under way when the reload starts.
      client.banIp("sshd-allow", ip("192.0.2.21"));
      Duration reload = fail2ban.reload().elapsed();
      awaitIgnored(client, "192.0.2.20", true);
      awaitIgnored(client, "192.0.2.21", true);

      client.banIp("sshd-allow", ip("192.0.2.22"));
      Fail2banServer.ClientRun stop = fail2ban.fail2banClient("stop");
      print("ignoreip: reload " + ms(reload) + ", stop " + ms(stop.elapsed())
          + " with calls in flight (stock fail2ban-client)");
      assertEquals(0, stop.exitCode(), stop.toString());
      assertTrue(reload.compareTo(QUICK) < 0, "reload took " + ms(reload));
      assertTrue(stop.elapsed().compareTo(QUICK) < 0, "stop took " + ms(stop.elapsed()));
      awaitTrue("the run-file to go at stop", () -> !Files.exists(runFile()));

      fail2ban.restart();
      // fail2ban restores the success jail's bans from its database and runs actionban again.
      awaitIgnored(client, "192.0.2.20", true);
      awaitIgnored(client, "192.0.2.21", true);
    }
  }

  @Test
  void unbanAllTakesTheAddressesOutAndTheActionGoesOnWorking() throws IOException {
    try (Fail2banServer fail2ban = server(Map.of(), "fail2ban-ignoreip").start();
        Fail2banClient client = longClient(fail2ban)) {
      writeClientScript(fail2ban);
      client.banIp("sshd-allow", ip("192.0.2.30"));
      awaitIgnored(client, "192.0.2.30", true);

      Fail2banServer.ClientRun unbanAll = fail2ban.fail2banClient("unban", "--all");

      assertEquals(0, unbanAll.exitCode(), unbanAll.toString());
      awaitIgnored(client, "192.0.2.30", false);
      client.banIp("sshd-allow", ip("192.0.2.31"));
      awaitIgnored(client, "192.0.2.31", true);
    }
  }

  @Test
  void theRecipesNaiveActionHangsBanipAndStopWhereTheSafeOneDoesNot() throws IOException {
    Fail2banServer.Builder builder = server(Map.of(), "fail2ban-ignoreip")
        .action("naive-ignoreip", NAIVE_ACTION)
        .jail("naive-allow", Map.of("filter", "test-success", "maxretry", "1",
            "action", "naive-ignoreip[name=sshd, client=\"" + clientScript() + "\"]"));
    try (Fail2banServer fail2ban = builder.start();
        Fail2banClient client = longClient(fail2ban)) {
      writeClientScript(fail2ban);

      Duration safe = timed(() -> client.banIp("sshd-allow", ip("192.0.2.40")));
      Duration naive = timed(() -> client.banIp("naive-allow", ip("192.0.2.41")));
      awaitIgnored(client, "192.0.2.40", true);
      // From the log-watching thread the nested call works: the socket is free.
      fail2ban.appendLog("naive-allow", "login of bob from 192.0.2.42");
      awaitIgnored(client, "192.0.2.42", true);
      Duration stop = fail2ban.fail2banClient("stop").elapsed();

      print(String.format("banip: safe fail2ban-ignoreip %s | the recipe's naive action (timeout"
          + " %d s) %s", ms(safe), NAIVE_TIMEOUT, ms(naive)));
      print("stop while the naive jail holds 2 addresses (each actionunban calls"
          + " fail2ban-client inside the stop): " + ms(stop));
      assertTrue(safe.compareTo(AT_ONCE) < 0, "safe banip took " + ms(safe));
      // The known hang (fail2ban issues 3050, 3578): the nested client is killed at the timeout,
      // and fail2ban runs the failed command a second time.
      assertTrue(naive.compareTo(Duration.ofSeconds(NAIVE_TIMEOUT)) >= 0,
          "naive banip took only " + ms(naive));
      assertTrue(stop.compareTo(Duration.ofSeconds(NAIVE_TIMEOUT)) >= 0,
          "stop with the naive action took only " + ms(stop));
    }
  }

  /** A failure jail sshd and a success jail sshd-allow whose action is {@code action}. */
  private Fail2banServer.Builder server(Map<String, Map<String, String>> extra, String action)
      throws IOException {
    Fail2banServer.Builder builder = Fail2banServer.builder(dir)
        .filter("test-success", SUCCESS_FILTER)
        .action("fail2ban-ignoreip", preset("fail2ban-ignoreip"))
        .action("ignoreip", preset("ignoreip"))
        .jail("sshd", extra.getOrDefault("sshd", Map.of()))
        .jail("sshd-allow", Map.of("filter", "test-success", "maxretry", "1",
            "action", action + "[name=sshd, client=\"" + clientScript() + "\", runfile=\""
                + runFile() + "\", logfile=\"" + actionLog() + "\"]"));
    return builder;
  }

  static String preset(String name) throws IOException {
    return Files.readString(project().resolve("actions/" + name + ".conf"));
  }

  static Path project() {
    return Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();
  }

  private Path clientScript() {
    return dir.resolve("f2b-client");
  }

  private Path runFile() {
    return dir.resolve("run/ignoreip-sshd.run");
  }

  private Path actionLog() {
    return dir.resolve("ignoreip.log");
  }

  /**
   * The stock fail2ban-client of this server as one command, for the actions' {@code client}
   * option (written once the server has started and its paths are known).
   */
  private void writeClientScript(Fail2banServer fail2ban) throws IOException {
    Path root = fail2banRoot();
    Files.writeString(clientScript(), "#!/bin/sh\n"
        + "PYTHONPATH='" + root.resolve("usr/lib/python3/dist-packages") + "'"
        + " exec /usr/bin/python3 '" + root.resolve("usr/bin/fail2ban-client") + "'"
        + " -c '" + fail2ban.configDirectory()
        + "' -s '" + fail2ban.socket() + "' \"$@\"\n");
    Files.setPosixFilePermissions(clientScript(), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Where the fixture finds fail2ban's package (the same rule as {@link Fail2banServer}). */
  static Path fail2banRoot() {
    String configured = System.getProperty("fail2ban.root");
    return (configured != null ? Path.of(configured) : project().resolve("target/fail2ban"))
        .toAbsolutePath();
  }

  /** A client whose read timeout outlasts the naive action's hang. */
  static Fail2banClient longClient(Fail2banServer fail2ban) {
    return new Fail2banClient(fail2ban.settings().withReadTimeout(Duration.ofSeconds(60)));
  }

  private void awaitIgnored(Fail2banClient client, String address, boolean present) {
    try {
      awaitTrue(address + (present ? " in" : " out of") + " the ignore list of sshd",
          () -> ignored(client).contains(address) == present);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- " + actionLog() + "\n" + read(actionLog()),
          e);
    }
  }

  private void awaitLog(String text) {
    awaitTrue("'" + text + "' in " + actionLog(), () -> {
      try {
        return Files.exists(actionLog()) && Files.readString(actionLog()).contains(text);
      } catch (IOException e) {
        return false;
      }
    });
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(missing)";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static List<String> ignored(Fail2banClient client) {
    return client.ignoreIp("sshd").stream().map(IpEntry::text).toList();
  }

  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + SETTLE.toSeconds() + " s for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  static Duration timed(Runnable work) {
    long started = System.nanoTime();
    work.run();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  static String ms(Duration duration) {
    return duration.toMillis() + " ms";
  }

  static void print(String line) {
    System.out.println("[companion] " + line);
  }

  private static IpAddress ip(String text) {
    return IpAddress.parse(text);
  }
}
