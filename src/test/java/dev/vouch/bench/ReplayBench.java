package dev.vouch.bench;

import dev.vouch.fail2ban.Fail2banClient;
import dev.vouch.fail2ban.Fail2banServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine benchmark (bench/replay-bench): one generated auth.log through an allow jail and a
 * ban jail, in the same run, by {@code bin/vouch run --replay} (JVM start included), by
 * a private fail2ban-server (polling backend, dummy action; timed until its last failure is
 * counted) and by fail2ban-regex; lines per second of each and the ratios.
 *
 * <p>usage: {@code ReplayBench LINES WORKDIR}; the system properties {@code vouch.project} and
 * {@code fail2ban.root} say where the project and fail2ban's unpacked package are.
 */
public final class ReplayBench {
  private static final Pattern VOUCH_FAILURES = Pattern.compile("sshd: (\\d+) failures counted");

  private ReplayBench() {}

  public static void main(String[] args) throws Exception {
    int lines = Integer.parseInt(args[0]);
    Path work = Path.of(args[1]).toAbsolutePath();
    Path project = Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();
    Path fail2banRoot = Path.of(System.getProperty("fail2ban.root",
        project.resolve("target/fail2ban").toString()));
    Files.createDirectories(work);

    // The log ends now and covers 8 minutes, so that both daemons, which ignore failures older
    // than findtime (10 minutes), count every one of them.
    Path log = work.resolve("auth.log");
    run(List.of("python3", project.resolve("bench/gen-authlog.py").toString(),
        String.valueOf(lines), "--recent", "480"), log);

    Path conf = vouchConfig(work.resolve("vouch"), project, fail2banRoot, log);
    // Through bin/vouch, as a user runs it (its start-up settings and class-data archive); the
    // first call makes the archive if it is missing, outside the timing.
    String vouch = project.resolve("bin/vouch").toString();
    run(List.of(vouch, "--version"), null);
    long start = System.nanoTime();
    String vouchOut = run(List.of(vouch, "-c", conf.toString(), "run", "--replay"), null);
    double vouchSeconds = (System.nanoTime() - start) / 1e9;
    Matcher counted = VOUCH_FAILURES.matcher(vouchOut);
    long vouchFailures = counted.find() ? Long.parseLong(counted.group(1)) : -1;

    double[] fail2ban = fail2banServer(work.resolve("f2b"), project, log);

    start = System.nanoTime();
    String regexOut = run(List.of("/usr/bin/python3",
        fail2banRoot.resolve("usr/bin/fail2ban-regex").toString(), log.toString(),
        fail2banRoot.resolve("etc/fail2ban/filter.d/sshd.conf").toString()), null,
        Map.of("PYTHONPATH", fail2banRoot.resolve("usr/lib/python3/dist-packages").toString()));
    double regexSeconds = (System.nanoTime() - start) / 1e9;
    String regexLines = regexOut.lines().filter(line -> line.startsWith("Lines:")).findFirst()
        .orElse("?");

    System.out.printf("""
        input: %,d lines of auth.log (10 %% failures, 3 %% successes), an allow jail (vouch's
               sshd-success) and a ban jail (fail2ban's stock sshd filter); %d cores
        vouch run --replay         %7.2f s  %,10.0f lines/s  (JVM start included; %,d failures counted)
        fail2ban-server (polling)  %7.2f s  %,10.0f lines/s  (%,d failures counted)
        fail2ban-regex (sshd only) %7.2f s  %,10.0f lines/s  (%s)
        vouch / fail2ban-server    %7.1fx
        vouch / fail2ban-regex     %7.1fx
        """, lines, Runtime.getRuntime().availableProcessors(), vouchSeconds,
        lines / vouchSeconds, vouchFailures, fail2ban[0], lines / fail2ban[0], (long) fail2ban[1],
        regexSeconds, lines / regexSeconds, regexLines, fail2ban[0] / vouchSeconds,
        regexSeconds / vouchSeconds);
  }

  /** A config dir: the allow jail and the ban jail on one log, state inside the dir. */
  private static Path vouchConfig(Path conf, Path project, Path fail2banRoot, Path log)
      throws IOException {
    Files.createDirectories(conf.resolve("filter.d"));
    for (String name : List.of("sshd.conf", "common.conf")) {
      Files.copy(fail2banRoot.resolve("etc/fail2ban/filter.d").resolve(name),
          conf.resolve("filter.d").resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    BenchFiles.writeConfig(conf, log, "sshd");
    BenchFiles.deleteTree(conf.resolve("state"));
    return conf;
  }

  /**
   * Seconds until a private fail2ban-server counted its last failure of the log, and how many it
   * counted. The same two jails, each with the dummy action.
   */
  private static double[] fail2banServer(Path directory, Path project, Path log) throws Exception {
    BenchFiles.deleteTree(directory);
    Files.createDirectories(directory);
    String success = Files.readString(project.resolve("filters/sshd-success.conf"));
    String common = Files.readString(project.resolve("filters/vouch-common.conf"));
    long start = System.nanoTime();
    try (Fail2banServer fail2ban = Fail2banServer.builder(directory)
        .packageFilter("sshd")
        .filter("vouch-common", common)
        .filter("sshd-success", success)
        .jail("sshd", Map.of("filter", "sshd", "logpath", log.toString(), "maxretry", "3",
            "findtime", "600", "bantime", "3600"))
        .jail("sshd-allow", Map.of("filter", "sshd-success", "logpath", log.toString(),
            "maxretry", "1", "bantime", "2592000"))
        .start()) {
      long last = -1;
      long lastChange = System.nanoTime();
      while (System.nanoTime() - lastChange < 5_000_000_000L) {
        Thread.sleep(200);
        long failed;
        try (Fail2banClient client = fail2ban.client()) {
          failed = client.status("sshd").value("Filter", "Total failed")
              .map(value -> value instanceof dev.vouch.fail2ban.StatusEntry.Count count
                  ? count.count() : 0L).orElse(0L);
        }
        if (failed != last) {
          last = failed;
          lastChange = System.nanoTime();
        }
      }
      return new double[] {(lastChange - start) / 1e9, last};
    }
  }

  private static String run(List<String> command, Path output) throws Exception {
    return run(command, output, Map.of());
  }

  private static String run(List<String> command, Path output, Map<String, String> environment)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
    builder.environment().putAll(environment);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    if (output != null) {
      builder.redirectOutput(output.toFile());
    }
    Process process = builder.start();
    String text = output == null
        ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + text);
    }
    return text;
  }


}
