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
