package dev.vouch.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import dev.vouch.daemon.StateAccess;

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
  /** Present when the command runs inside the daemon (forwarded over the control socket). */
  final Optional<StateAccess> state;

  CliContext(PrintWriter out, PrintWriter err, InputStream in, Clock clock, Path install,
      Optional<StateAccess> state) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.clock = clock;
    this.install = install;
    this.state = state;
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
