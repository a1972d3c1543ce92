package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.cli.InProcessVouch.Result;
import dev.vouch.daemon.Daemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar ({@code target/vouch.jar}, system property {@code vouch.jar}) run as a process,
 * {@code java -jar}, for a handful of commands: what a user runs, manifest and shading included.
 */
class VouchJarIT {
  private static final Path JAR = Path.of(System.getProperty("vouch.jar", "target/vouch.jar"));
  private static final String LOGIN = "Nov 22 06:58:00 host1 sshd[11]: Accepted publickey for"
      + " alice from 198.51.100.4 port 22 ssh2";

  @TempDir Path dir;
  private TestConfig config;

  @BeforeEach
  void setUp() throws IOException {
    assertTrue(Files.isRegularFile(JAR), "no " + JAR + ": the package phase makes it");
    config = new TestConfig(dir.resolve("conf"));
  }

  /** {@code java [JVM OPTIONS] -jar vouch.jar ARGS...} from {@code dir}. */
  private Result java(List<String> jvm, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvm);
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("did not finish in 60 s: " + command);
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private Result vouch(String... args) throws Exception {
    return java(List.of(), args);
  }

  private Result vouchWithConf(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("-c", config.dir.toString()));
    all.addAll(List.of(args));
    return vouch(all.toArray(String[]::new));
  }

  @Test
  void helpAndVersion() throws Exception {
    Result help = vouch("--help");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().startsWith("Usage: vouch [-hV]"), help.out());
    assertTrue(help.out().contains("\nExamples:\n"), help.out());
    Result subcommandHelp = vouch("allow", "check", "--help");
    assertEquals(0, subcommandHelp.exit(), subcommandHelp.err());
    assertTrue(subcommandHelp.out().startsWith("Usage: vouch allow check"),
        subcommandHelp.out());
    Result version = vouch("--version");
    assertEquals(0, version.exit(), version.err());
    assertTrue(version.out().matches("vouch \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), version.out());
    Result unknown = vouch("alow", "list");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("Unmatched argument"), unknown.err());
  }

  @Test
  void checkConfigAndTheAllowlistWithoutADaemon() throws Exception {
    Result check = vouchWithConf("check-config");
    assertEquals(0, check.exit(), check.err());
    assertTrue(check.out().contains("sshd-allow"), check.out());
    Result added = vouchWithConf("allow", "add", "192.0.2.7", "--ttl", "1h", "--note", "smoke");
    assertEquals(0, added.exit(), added.err());
    assertTrue(added.out().matches("allowed 192\\.0\\.2\\.7 for \\*, 59m 5\\ds left \\(manual:"
        + " smoke\\)\n"), added.out());
    Result list = vouchWithConf("allow", "list");
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().matches("(?s)NETWORK +JAIL +EXPIRES +SOURCE\n192\\.0\\.2\\.7 +\\* +59m"
        + " 5\\ds left +manual: smoke\n"), list.out());
    Result allowed = vouchWithConf("allow", "check", "192.0.2.7");
    assertEquals(0, allowed.exit(), allowed.err());
    assertTrue(allowed.out().matches("192\\.0\\.2\\.7 is allowed for \\* by 192\\.0\\.2\\.7"
        + " \\(manual: smoke\\), 59m \\d\\ds left\n"), allowed.out());
    assertEquals(new Result(1, "192.0.2.8 is not allowed\n", ""),
        vouchWithConf("allow", "check", "192.0.2.8"));
    Result bad = vouchWithConf("allow", "add", "999.1.1.1");
    assertEquals(new Result(2, "", "vouch: not an IP address: 999.1.1.1\n"), bad);
  }

  @Test
  void testFilterPrintsJson() throws Exception {
    Result result = vouchWithConf("test-filter", "--format", "json", "sshd-success", LOGIN);
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().startsWith("{\"line\":1,\"result\":\"match\",\"host\":"
        + "\"198.51.100.4\""), result.out());
    assertEquals(1, result.out().lines().count(), result.out());
  }

  /**
   * A command forwarded to a running daemon loads no database, regex-engine, filter or picocli
   * class: that is what keeps its start short.
   */
  @Test
  void forwardedCommandLoadsNoDatabaseRegexOrFilterClass() throws Exception {
    InProcessVouch inProcess = new InProcessVouch(config);
    try (Daemon daemon = inProcess.startDaemon()) {
      assertEquals(0, inProcess.run("allow", "add", "192.0.2.9", "--jail", "sshd").exit());
      Result result = java(List.of("-verbose:class"), "-c", config.dir.toString(), "allow",
          "check", "192.0.2.9", "--jail", "sshd");
      assertEquals(0, result.exit(), result.err());
      List<String> loaded = result.out().lines().filter(line -> line.contains("[class,load]"))
          .toList();
      assertTrue(loaded.stream().anyMatch(line -> line.contains(" dev.vouch.cli.Forwarder ")),
          "the command was not forwarded: " + result.out());
      List<String> heavy = loaded.stream().filter(line -> line.matches(".*\\] (org\\.jdbi"
          + "|org\\.hsqldb|com\\.google\\.re2j|dev\\.vouch\\.(filter|store|jail|daemon)\\."
          + "|picocli\\.CommandLine\\$Model).*")).toList();
      assertEquals(List.of(), heavy);
      // Class loading is logged on standard output too, around the answer.
      assertTrue(result.out().contains("\n192.0.2.9 is allowed for sshd by 192.0.2.9 (manual),"
          + " permanent\n"), result.out());
    }
  }

  /** The archive the build made fits the jar: classes come from it, not from the jar. */
  @Test
  void classDataSharingArchiveFitsTheJar() throws Exception {
    Path archive = JAR.resolveSibling("vouch.jsa");
    assertTrue(Files.isRegularFile(archive), "no " + archive + ": the package phase makes it");
    Result result = java(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load"),
        "--version");
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("dev.vouch.cli.Main source: shared objects file"),
        result.out().lines().filter(line -> line.contains("dev.vouch")).toList().toString());
  }
}
