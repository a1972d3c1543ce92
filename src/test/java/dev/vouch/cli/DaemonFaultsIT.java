package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vouch.cli.InProcessVouch.Result;
import dev.vouch.store.Database;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon under faults, as a real process where the fault is the process's: kill -9 in the
 * middle of a busy log, rotation both ways while lines are written, a database another process
 * holds, a full disk, a 10 MB line and binary junk.
 */
class DaemonFaultsIT {
  private static final Path JAR = Path.of(System.getProperty("vouch.jar", "target/vouch.jar"));
  private static final Path PROJECT =
      Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();

  @TempDir Path dir;
  private TestConfig config;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> mounts = new ArrayList<>();


  @BeforeEach
  void setUp() throws IOException {
    config = new TestConfig(dir.resolve("conf"));
    // Count every failure and never ban, so that the total says exactly how many lines counted.
    config.write("jail.local", Files.readString(config.dir.resolve("jail.local"))
        .replace("maxretry = 3", "maxretry = 1000000"));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process process : processes) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (Path mount : mounts) {
      new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
    }
  }

  private Result vouch(String... args) {
    return new InProcessVouch(config).run(args);
  }

  /** {@code vouch run} as its own process, the real jar, output in {@code name}.log. */
  private Process startDaemon(String name) throws IOException {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Dvouch.home=" + PROJECT, "-jar", JAR.toString(), "-c",
        config.dir.toString(), "run")
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    processes.add(process);
    assertTrue(await(() -> vouch("status", "--format", "json").out().contains("\"running\": true"),
        30_000), "the daemon did not start: " + daemonLog(name));
    return process;
  }

  private String daemonLog(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private JsonObject jail(String name) {
    Result status = vouch("status", name, "--format", "json");
    assertEquals(0, status.exit(), status.err());
    return JsonParser.parseString(status.out()).getAsJsonObject();
  }

  private static boolean await(BooleanSupplier condition, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  private static String attacker(int i) {
    return "203.0." + (113 + i / 250 % 3) + "." + (1 + i % 250);
  }

  /**
   * kill -9 while a busy log is written: after the restart every allowance that was acknowledged
   * (a login seen through `allow check`, an `allow add` that returned 0) is still there, and the
   * total of failures counted equals the failure lines written: none lost, none counted twice.
   */
  @Test
  void killNineLosesNoAcknowledgedAllowanceAndCountsNoLineTwice() throws Exception {
    Process daemon = startDaemon("first");
    int failures = 0;
    List<String> acknowledged = new ArrayList<>();
    for (int round = 0; round < 40; round++) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        lines.add(TestConfig.failure(attacker(round * 250 + i), 1000 + i));
        failures++;
      }
      String friend = "198.51.100." + (round + 1);
      lines.add(TestConfig.success(friend, 2000 + round));
      config.append(lines.toArray(String[]::new));
      if (round == 10 || round == 20) {
        Result added = vouch("allow", "add", "192.0.2." + round, "--ttl", "7d", "--note", "desk");
        assertEquals(0, added.exit(), added.err());
        acknowledged.add("192.0.2." + round);
      }
      if (round % 5 == 0 && vouch("allow", "check", friend, "--jail", "sshd").exit() == 0) {
        acknowledged.add(friend);
      }
      if (round == 25) {
        daemon.destroyForcibly(); // SIGKILL: no shutdown hook, no last write
        assertTrue(daemon.waitFor(10, TimeUnit.SECONDS));
      }
      Thread.sleep(5);
    }
    assertTrue(acknowledged.size() >= 4, "too few acknowledged allowances: " + acknowledged);
    startDaemon("second");
    int expected = failures;
    assertTrue(await(() -> jail("sshd").get("total_failed").getAsLong() >= expected, 60_000),
        "failures counted after the restart: " + jail("sshd") + "\n" + daemonLog("second"));
    Thread.sleep(1000);
    assertEquals(expected, jail("sshd").get("total_failed").getAsLong(),
        "a line before the saved position was counted again");
    for (String address : acknowledged) {
      Result check = vouch("allow", "check", address, "--jail", "sshd");
      assertEquals(0, check.exit(), address + " was acknowledged before the kill: " + check.out());
    }
    assertEquals(0, vouch("allow", "check", "198.51.100.40", "--jail", "sshd").exit(),
        "the last login, written after the restart");
  }

  /**
   * Rotation by rename and by copytruncate while lines are written, 100 every 20 ms: every line
   * counts once. (Two rotations within the same few milliseconds, before a reader could open the
   * new file, would lose the lines in between for any reader: they are in neither file it sees.)
   */
  @Test
  void rotationBothWaysMidStreamLosesNoLine() throws Exception {
    startDaemon("daemon");
    int failures = 0;
    for (int round = 0; round < 30; round++) {
      Thread.sleep(20);
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        lines.add(TestConfig.failure(attacker(round * 100 + i), 3000 + i));
        failures++;
      }
      config.append(lines.toArray(String[]::new));
      if (round == 10) {
        Files.move(config.log, config.log.resolveSibling("auth.log.1"));
        Files.writeString(config.log, ""); // logrotate's create
      } else if (round == 20) {
        Files.copy(config.log, config.log.resolveSibling("auth.log.2"));
        try (OutputStream truncate = Files.newOutputStream(config.log,
            StandardOpenOption.TRUNCATE_EXISTING)) {
          truncate.flush(); // logrotate's copytruncate
        }
      }
    }
    int expected = failures;
    assertTrue(await(() -> jail("sshd").get("total_failed").getAsLong() >= expected, 30_000),
        "counted " + jail("sshd").get("total_failed") + " of " + expected + "\n"
            + daemonLog("daemon"));
    Thread.sleep(500);
    assertEquals(expected, jail("sshd").get("total_failed").getAsLong());
  }

  /** A database another process holds: `vouch run` names it, says what to do, and exits. */
  @Test
  void aDatabaseHeldByAnotherProcessIsNamed() throws Exception {
    Path database = config.dir.resolve("state/vouch");
    Files.createDirectories(database.getParent());
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), DatabaseHolder.class.getName(),
        database.toString()).redirectErrorStream(true).start();
    processes.add(holder);
    assertEquals("holding", new String(holder.getInputStream().readNBytes(7),
        StandardCharsets.UTF_8));
    Result run = vouch("run");
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains(database.toString()), run.err());
    assertTrue(run.err().contains("in use by another process"), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
    Result status = vouch("status");
    assertEquals(3, status.exit(), status.err());
    assertTrue(status.err().contains("in use"), status.err());
  }

  /** Opens the database given as argument, says "holding", and keeps it until killed. */
  public static final class DatabaseHolder {
    public static void main(String[] args) throws Exception {
      try (Database database = Database.open(Path.of(args[0]))) {
        System.out.print("holding");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      }
    }
  }

  /**
   * The disk under the database fills up: the daemon says so, keeps watching and counting, and
   * writes what it kept once there is room again. The state directory is a small tmpfs.
   */
  @Test
  void aFullDiskIsReportedAndTheDaemonKeepsWatching() throws Exception {
    assertEquals(0, new ProcessBuilder("id", "-u").start().waitFor());
    Path state = config.dir.resolve("state");
    Files.createDirectories(state);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs",
        state.toString()).redirectErrorStream(true).start();
    String mountOutput = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, mount.waitFor(), "this test needs root to mount a tmpfs: " + mountOutput);
    mounts.add(state);
    startDaemon("daemon");
    config.append(TestConfig.failure("203.0.113.1", 1));
    assertTrue(await(() -> jail("sshd").get("total_failed").getAsLong() == 1, 10_000));

    Path filler = state.resolve("filler");
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[64 * 1024];
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // No space left on device: what the test wants.
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      lines.add(TestConfig.failure(attacker(i), 4000 + i));
    }
    for (int i = 0; i < 300; i++) { // grants: writes that cannot wait for the 30 s flush
      lines.add(TestConfig.success("198.18." + (i / 200) + "." + (i % 200), 8));
    }
    config.append(lines.toArray(String[]::new));
    assertTrue(await(() -> jail("sshd").get("total_failed").getAsLong() == 2001, 20_000),
        "the daemon stopped counting on a full disk: " + jail("sshd"));
    assertTrue(await(() -> daemonLog("daemon").contains("Is the disk full"), 10_000),
        daemonLog("daemon"));

    Files.delete(filler);
    config.append(TestConfig.success("198.51.100.7", 9));
    for (String vouched : List.of("198.18.0.0", "198.18.1.99", "198.51.100.7")) {
      assertTrue(await(() -> vouch("allow", "check", vouched, "--jail", "sshd").exit() == 0,
          10_000), vouched + " is not allowed:\n" + daemonLog("daemon"));
    }
    assertTrue(await(() -> daemonLog("daemon").contains("accepts writes again"), 20_000),
        daemonLog("daemon"));
    processes.get(0).destroy(); // SIGTERM: a clean stop
    assertTrue(processes.get(0).waitFor(30, TimeUnit.SECONDS));
    assertEquals(2001, jail("sshd").get("total_failed").getAsLong(), "what the database kept");
  }

  /** A 10 MB line and binary junk between real lines: skipped and counted, the rest matched. */
  @Test
  void aTenMegabyteLineAndBinaryJunkAreSkippedAndCounted() throws Exception {
    try (OutputStream out = Files.newOutputStream(config.log, StandardOpenOption.APPEND)) {
      out.write((TestConfig.failure("203.0.113.5", 1) + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] huge = new byte[10 * 1024 * 1024];
      java.util.Arrays.fill(huge, (byte) 'x');
      out.write(huge);
      out.write('\n');
      out.write((TestConfig.failure("203.0.113.5", 2) + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] junk = new byte[4096];
      new java.util.Random(7).nextBytes(junk);
      for (int i = 0; i < junk.length; i++) {
        junk[i] = junk[i] == '\n' ? 0 : junk[i];
      }
      out.write(junk);
      out.write('\n');
      out.write((TestConfig.failure("203.0.113.5", 3) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Result replay = vouch("run", "--replay");
    assertEquals(0, replay.exit(), replay.err());
    assertTrue(replay.out().contains("1 line skipped for being longer than maxlinelength; 1 not"
        + " UTF-8"), replay.out());
    assertTrue(replay.out().contains("sshd: 3 failures counted"), replay.out());
  }
}
