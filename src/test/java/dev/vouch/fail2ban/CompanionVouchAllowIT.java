package dev.vouch.fail2ban;

import static dev.vouch.fail2ban.CompanionIgnoreIpIT.awaitTrue;
import static dev.vouch.fail2ban.CompanionIgnoreIpIT.longClient;
import static dev.vouch.fail2ban.CompanionIgnoreIpIT.ms;
import static dev.vouch.fail2ban.CompanionIgnoreIpIT.preset;
import static dev.vouch.fail2ban.CompanionIgnoreIpIT.print;
import static dev.vouch.fail2ban.CompanionIgnoreIpIT.project;
import static dev.vouch.fail2ban.CompanionIgnoreIpIT.timed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vouch.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * actions/vouch-allow.conf in a real fail2ban-server 1.0.2: a fail2ban jail on vouch's
 * sshd-success filter hands each address to the built vouch (target/vouch.jar, with a config
 * directory and database of its own and no daemon), and fail2ban never waits for it. Timings go
 * to standard output.
 */
class CompanionVouchAllowIT {
  private static final Duration AT_ONCE = Duration.ofSeconds(1);
  private static final Duration QUICK = Duration.ofSeconds(5);
  private static final DateTimeFormatter SYSLOG_TIME =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
  /**
   * A record of fail2ban's log that matters here (records may span lines): its time, then either
   * the address of a ban in sshd-allow, or a command's id and whether it ran or returned.
   */
  private static final Pattern LOG_RECORD = Pattern.compile(
      "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) fail2ban\\.\\w+\\s+\\[\\d+\\]:"
          + " \\S+\\s+(?:\\[sshd-allow\\] Ban (\\S+)$"
          + "|(\\p{XDigit}+) -- (exec: |returned successfully))",
      Pattern.MULTILINE);

  @TempDir Path dir;

  @Test
  void banHandsTheAddressToVouchAndReturnsAtOnce() throws IOException {
    Path pwned = dir.resolve("pwned");
    String hostileUser = "x$(touch${IFS}" + pwned + ")';\"`id`";
    try (Fail2banServer fail2ban = server(vouchCommand()).start();
        Fail2banClient client = longClient(fail2ban)) {
      client.call("set", "loglevel", "TRACEDEBUG");

      Duration banip = timed(() -> client.banIp("sshd-allow", IpAddress.parse("192.0.2.10")));
      Duration stockBanip =
          fail2ban.fail2banClient("set", "sshd-allow", "banip", "192.0.2.13").elapsed();
      fail2ban.appendLog("sshd-allow", accepted("alice", "192.0.2.11"),
          accepted(hostileUser, "192.0.2.12"));
      for (String address : List.of("192.0.2.10", "192.0.2.13", "192.0.2.11", "192.0.2.12")) {
        awaitHandedOver(address);
      }
      List<Duration> actionbans = actionbanDurations(fail2ban);

      print("vouch-allow: banip over the socket " + ms(banip) + ", with the stock"
          + " fail2ban-client " + ms(stockBanip) + "; actionban as fail2ban timed it (2 banip, 2"
          + " from the log): " + actionbans.stream().map(CompanionIgnoreIpIT::ms).toList());
      assertTrue(banip.compareTo(AT_ONCE) < 0, "banip took " + ms(banip));
      assertEquals(4, actionbans.size(), actionbans.toString());
      for (Duration actionban : actionbans) {
        assertTrue(actionban.compareTo(AT_ONCE) < 0, "actionban took " + ms(actionban));
      }
      for (String address : List.of("192.0.2.10", "192.0.2.13", "192.0.2.11", "192.0.2.12")) {
        Run check = vouch("allow", "check", address, "--jail", "sshd");
        assertEquals(0, check.exit(), check.toString());
      }
      Map<String, String> logins = logins();
      assertEquals("login sshd-allow alice", logins.get("192.0.2.11"));
      assertEquals("login sshd-allow " + hostileUser, logins.get("192.0.2.12"));
      assertEquals("login sshd-allow -", logins.get("192.0.2.10"));
      assertFalse(Files.exists(pwned), "a user name from the log ran a command");
      Run other = vouch("allow", "check", "192.0.2.11", "--jail", "sshd-allow");
      assertEquals(1, other.exit(), "allowed for sshd only: " + other);
    }
  }

  @Test
  void aRunningVouchDaemonTakesTheHandoffsOverItsControlSocket() throws IOException {
    try (Fail2banServer fail2ban = server(vouchCommand()).start();
        Fail2banClient client = longClient(fail2ban);
        VouchDaemon daemon = VouchDaemon.start(vouchCommand(), vouchDir(), dir)) {
      Duration banip = timed(() -> client.banIp("sshd-allow", IpAddress.parse("192.0.2.50"),
          IpAddress.parse("192.0.2.51"), IpAddress.parse("192.0.2.52")));

      print("vouch-allow: banip of 3 addresses with a vouch daemon running " + ms(banip));
      assertTrue(banip.compareTo(AT_ONCE) < 0, "banip took " + ms(banip));
      for (String address : List.of("192.0.2.50", "192.0.2.51", "192.0.2.52")) {
        awaitHandedOver(address);
        assertEquals(0, vouch("allow", "check", address, "--jail", "sshd").exit());
      }
      assertTrue(daemon.isRunning(), "the daemon held the database all along");
    }
  }

  @Test
  void aJailWithoutTheAllowSuffixMustNameAllowfor() throws IOException {
    Fail2banServer.Builder builder = server(vouchCommand())
        .jail("logins", Map.of("filter", "sshd-success", "maxretry", "1",
            "action", "vouch-allow[" + options(vouchCommand()) + "]"));
    try (Fail2banServer fail2ban = builder.start();
        Fail2banClient client = longClient(fail2ban)) {
      Duration banip = timed(() -> client.banIp("logins", IpAddress.parse("192.0.2.30")));

      assertTrue(banip.compareTo(AT_ONCE) < 0, "banip took " + ms(banip));
      assertTrue(Files.readString(fail2ban.serverLog()).contains(
          "vouch-allow: the jail logins does not end in -allow: set allowfor"),
          fail2ban.diagnostics());
    }
  }

  @Test
  void stopAndReloadFinishQuicklyWhileAHandoffIsInFlight() throws IOException {
    // vouch that takes 3 s more than it needs, so that the handoffs are surely still running.
    Path slowVouch = dir.resolve("slow-vouch");
    Files.writeString(slowVouch, "#!/bin/sh\nsleep 3\nexec " + vouchCommand() + " \"$@\"\n");
    Files.setPosixFilePermissions(slowVouch, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Fail2banServer fail2ban = server(slowVouch.toString()).start();
        Fail2banClient client = longClient(fail2ban)) {
      client.banIp("sshd-allow", IpAddress.parse("192.0.2.20"));
      Duration reload = fail2ban.reload().elapsed();
      boolean inFlightAfterReload = !handedOver("192.0.2.20");

      fail2ban.appendLog("sshd-allow", accepted("carol", "192.0.2.21"));
      awaitTrue("the ban of 192.0.2.21", () -> handoffStarted("192.0.2.21"));
      Fail2banServer.ClientRun stop = fail2ban.fail2banClient("stop");
      boolean inFlightAfterStop = !handedOver("192.0.2.21");

      print("vouch-allow: reload " + ms(reload) + " (handoff still running: "
          + inFlightAfterReload + "), stop " + ms(stop.elapsed()) + " (handoff still running: "
          + inFlightAfterStop + ")");
      assertEquals(0, stop.exitCode(), stop.toString());
      assertTrue(reload.compareTo(QUICK) < 0, "reload took " + ms(reload));
      assertTrue(stop.elapsed().compareTo(QUICK) < 0, "stop took " + ms(stop.elapsed()));
      // The handoffs go on by themselves and land in vouch after fail2ban has gone.
      awaitHandedOver("192.0.2.20");
      awaitHandedOver("192.0.2.21");
      assertEquals(0, vouch("allow", "check", "192.0.2.21", "--jail", "sshd").exit());
    }
  }

  /**
   * fail2ban with a failure jail sshd and a jail sshd-allow on vouch's sshd-success filter whose
   * action is vouch-allow with {@code vouch} as the vouch command; and vouch's config directory.
   */
  private Fail2banServer.Builder server(String vouch) throws IOException {
    writeVouchConfig();
    return Fail2banServer.builder(dir)
        .filter("sshd-success", filter("sshd-success"))
        .filter("vouch-common", filter("vouch-common"))
        .action("vouch-allow", preset("vouch-allow"))
        .jail("sshd")
        .jail("sshd-allow", Map.of("filter", "sshd-success", "maxretry", "1", "bantime", "1h",
            "action", "vouch-allow[" + options(vouch) + ", allowtime=30d]"));
  }

  private String options(String vouch) {
    return "vouch=\"" + vouch + "\", conf=\"" + vouchDir() + "\", logfile=\"" + handoffLog()
        + "\", lockfile=\"" + dir.resolve("vouch-allow.lock") + "\"";
  }

  /**
   * vouch's side: its database and control socket in the directory, no daemon, and the allow
   * jail of a companion set-up, whose allowfor names fail2ban's jail sshd: that is what lets
   * `vouch allow add --jail sshd` name a jail vouch does not run.
   */
  private void writeVouchConfig() throws IOException {
    Path vouchDir = Files.createDirectories(vouchDir());
    Files.writeString(vouchDir.resolve("empty.log"), "");
    Files.writeString(vouchDir.resolve("vouch.conf"), """
        [Definition]
        dbfile = state/vouch
        socket = state/vouch.sock
        [fail2ban]
        sync = off
        """);
    Files.writeString(vouchDir.resolve("jail.local"), """
        [DEFAULT]
        ignoreself = false
        [sshd-allow]
        enabled = true
        filter = sshd-success
        logpath = %(fail2ban_confpath)s/empty.log
        allowfor = sshd
        allowtime = 30d
        """);
  }

  private Path vouchDir() {
    return dir.resolve("vouch");
  }

  private Path handoffLog() {
    return dir.resolve("vouch-allow.log");
  }

  private static String filter(String name) throws IOException {
    return Files.readString(project().resolve("filters/" + name + ".conf"));
  }

  /** The built jar as one command line (the action splits it into words). */
  private static String vouchCommand() {
    Path jar = Path.of(System.getProperty("vouch.jar",
        project().resolve("target/vouch.jar").toString()));
    return Path.of(System.getProperty("java.home"), "bin", "java") + " -jar " + jar;
  }

  private static String accepted(String user, String address) {
    return LocalDateTime.now().format(SYSLOG_TIME) + " host1 sshd[4242]: Accepted publickey for "
        + user + " from " + address + " port 52044 ssh2: ED25519 SHA256:abc";
  }

  private boolean handoffStarted(String address) {
    return read(handoffLog()).contains("] " + address + " for ");
  }

  /** vouch answered the handoff of {@code address} (its "allowed" line is in the log). */
  private boolean handedOver(String address) {
    return read(handoffLog()).contains("allowed " + address + " for ");
  }

  private void awaitHandedOver(String address) {
    try {
      awaitTrue("vouch to allow " + address, () -> handedOver(address));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- " + handoffLog() + "\n"
          + read(handoffLog()), e);
    }
  }

  /**
   * How long each actionban of vouch-allow ran, from fail2ban's own log at TRACEDEBUG: from the
   * "Ban" notice, logged just before the jail's actions run, to the command's "returned
   * successfully" (fail2ban logs the command line itself only once it has ended).
   */
  private static List<Duration> actionbanDurations(Fail2banServer fail2ban) throws IOException {
    String log = Files.readString(fail2ban.serverLog());
    Deque<LocalTime> bans = new ArrayDeque<>();
    Map<String, LocalTime> running = new HashMap<>();
    List<Duration> durations = new ArrayList<>();
    Matcher record = LOG_RECORD.matcher(log);
    while (record.find()) {
      LocalTime time = LocalTime.parse(record.group(1).substring(11).replace(',', '.'));
      if (record.group(2) != null) {
        bans.add(time);
      } else if (record.group(4).startsWith("exec")) {
        int end = log.indexOf("\n20", record.end());
        String command = log.substring(record.end(), end < 0 ? log.length() : end);
        if (command.contains("vouch_handoff") && !bans.isEmpty()) {
          running.put(record.group(3), bans.remove());
        }
      } else if (running.containsKey(record.group(3))) {
        durations.add(Duration.between(running.remove(record.group(3)), time));
      }
    }
    return durations;
  }

  /** {@code vouch run} on a config directory, stopped with SIGTERM at close. */
  private static final class VouchDaemon implements AutoCloseable {
    private final Process process;

    private VouchDaemon(Process process) {
      this.process = process;
    }

    static VouchDaemon start(String vouch, Path config, Path dir) throws IOException {
      List<String> command = new ArrayList<>(List.of(vouch.split(" ")));
      command.addAll(List.of("-c", config.toString(), "run"));
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("vouch-daemon.out").toFile()).start();
      VouchDaemon daemon = new VouchDaemon(process);
      try {
        awaitTrue("vouch's control socket", () -> Files.exists(config.resolve("state/vouch.sock"))
            || !process.isAlive());
        assertTrue(process.isAlive(), read(dir.resolve("vouch-daemon.out")));
        return daemon;
      } catch (RuntimeException | Error e) {
        daemon.close();
        throw e;
      }
    }

    boolean isRunning() {
      return process.isAlive();
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private record Run(int exit, String out, String err) {}

  private Run vouch(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(vouchCommand().split(" ")));
    command.addAll(List.of("-c", vouchDir().toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("vouch.out");
    Path err = dir.resolve("vouch.err");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("vouch " + String.join(" ", args) + " ran for 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * Each allowance in vouch's database, by network: its source, the jail that saw the login,
   * and the user ("-" for none).
   */
  private Map<String, String> logins() throws IOException {
    Run list = vouch("allow", "list", "--format", "json");
    assertEquals(0, list.exit(), list.toString());
    Map<String, String> logins = new HashMap<>();
    for (JsonElement element : JsonParser.parseString(list.out()).getAsJsonArray()) {
      JsonObject allowance = element.getAsJsonObject();
      JsonObject evidence = allowance.getAsJsonObject("evidence");
      logins.put(allowance.get("network").getAsString(), allowance.get("source").getAsString()
          + " " + evidence.get("jail").getAsString() + " "
          + (evidence.has("user") ? evidence.get("user").getAsString() : "-"));
    }
    return logins;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
