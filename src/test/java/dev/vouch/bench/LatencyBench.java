package dev.vouch.bench;

import dev.vouch.config.JailConfig;
import dev.vouch.config.JailDefinition;
import dev.vouch.config.JailsReader;
import dev.vouch.config.VouchConf;
import dev.vouch.daemon.Daemon;
import dev.vouch.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Latency from a success line appended to a watched log to the allow decision being in force,
 * over a live daemon in this process (bench/replay-bench): p50 and p99 over several hundred
 * logins, each from a new address, while a steady stream of noise lines is written too.
 */
public final class LatencyBench {
  private static final int LOGINS = 400;

  private LatencyBench() {}

  public static void main(String[] args) throws Exception {
    BenchFiles.quietLogs();
    Path conf = Path.of(args[0]).toAbsolutePath();
    Path project = Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();
    BenchFiles.deleteTree(conf);
    Files.createDirectories(conf);
    Path log = conf.resolve("auth.log");
    Files.writeString(log, "");
    BenchFiles.writeConfig(conf, log, "sshd-fail");
    Files.writeString(conf.resolve("filter.d/sshd-fail.conf"), """
        [Definition]
        failregex = ^\\s*\\S+ sshd\\[\\d+\\]: Failed password for \\S+ from <ADDR> port \\d+
        """);
    VouchConf settings = VouchConf.read(conf, project);
    List<JailConfig> jails = new JailsReader(settings.configDir(), settings.filterSearchPath(),
        settings.actionSearchPath()).read().stream().filter(JailDefinition::enabled)
        .map(JailConfig::of).toList();
    DateTimeFormatter syslog = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);
    long[] micros = new long[LOGINS];
    try (Daemon daemon = Daemon.start(settings, jails, Daemon.Mode.LIVE, Clock.systemDefaultZone(),
        Clock.systemDefaultZone().getZone())) {
      for (int i = 0; i < LOGINS + 50; i++) {
        IpAddress address = IpAddress.parse("10." + (i / 250) + "." + (i % 250) + ".1");
        String stamp = syslog.format(LocalDateTime.now());
        String lines = stamp + " host1 sshd[" + (1000 + i) + "]: pam_unix(sshd:session):"
            + " session closed for user root\n" + stamp + " host1 sshd[" + (5000 + i)
            + "]: Failed password for root from 203.0.113." + (1 + i % 200) + " port 22 ssh2\n"
            + stamp + " host1 sshd[" + (9000 + i) + "]: Accepted publickey for alice from "
            + address + " port 22 ssh2\n";
        long start = System.nanoTime();
        Files.writeString(log, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        while (daemon.call(view -> view.check(address, Optional.of("sshd"))).isEmpty()) {
          Thread.onSpinWait();
        }
        long took = (System.nanoTime() - start) / 1000;
        if (i >= 50) {
          micros[i - 50] = took; // the first 50 warm the JIT up
        }
        Thread.sleep(5);
      }
    }
    Arrays.sort(micros);
    System.out.printf("latency, success line written -> allowance in force (%d logins, live"
        + " daemon, inotify): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", LOGINS,
        micros[LOGINS / 2] / 1000.0, micros[LOGINS * 99 / 100] / 1000.0,
        micros[LOGINS - 1] / 1000.0);
  }
}
