package dev.vouch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** What the benchmarks share: an empty work directory for each run, quiet logs. */
final class BenchFiles {
  private BenchFiles() {}

  /** Only warnings from vouch's loggers: a benchmark prints its figures, not every decision. */
  static void quietLogs() {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.WARNING);
    for (java.util.logging.Handler handler : root.getHandlers()) {
      handler.setLevel(java.util.logging.Level.WARNING);
    }
  }

  /**
   * The benchmarks' config directory: an allow jail (sshd-success) vouching for a ban jail of the
   * filter {@code banFilter}, both on {@code log}, state inside the directory, warnings only.
   */
  static void writeConfig(Path conf, Path log, String banFilter) throws IOException {
    Files.createDirectories(conf.resolve("filter.d"));
    Files.writeString(conf.resolve("vouch.conf"), """
        [Definition]
        dbfile = state/vouch
        socket = state/vouch.sock
        loglevel = WARNING
        [fail2ban]
        sync = off
        """);
    Files.writeString(conf.resolve("jail.local"), """
        [DEFAULT]
        ignoreself = false
        [sshd-allow]
        enabled = true
        filter = sshd-success
        logpath = %s
        allowfor = sshd
        allowtime = 30d
        [sshd]
        enabled = true
        filter = %s
        logpath = %s
        maxretry = 3
        findtime = 10m
        bantime = 1h
        action = log[path=%s]
        """.formatted(log, banFilter, log, conf.resolve("state/decisions.log")));
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
