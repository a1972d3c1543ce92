package dev.vouch.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What commands get from their caller: the streams, the clock, where vouch is installed (its
 * filters/ and actions/). Confined to one command run.
 */
final class CliContext {
  final PrintWriter out;
  final PrintWriter err;
  final InputStream in;
  final Clock clock;
  final Path install;

  CliContext(PrintWriter out, PrintWriter err, InputStream in, Clock clock, Path install) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.clock = clock;
    this.install = install;
  }

  /**
   * vouch's install directory: {@code -Dvouch.home} (set by bin/vouch), else the directory above
   * the jar's (target/vouch.jar in a checkout), else the working directory.
   */
  static Path defaultInstall() {
    String home = System.getProperty("vouch.home");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    try {
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = jar.getParent() == null ? null : jar.getParent().getParent();
      if (candidate != null && Files.isDirectory(candidate.resolve("filters"))) {
        return candidate;
      }
    } catch (Exception e) {
      // Fall through to the working directory.
    }
    return Path.of("").toAbsolutePath();
  }
}
