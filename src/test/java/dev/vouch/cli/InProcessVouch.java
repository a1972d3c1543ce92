package dev.vouch.cli;

import dev.vouch.config.VouchConf;
import dev.vouch.daemon.Daemon;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * vouch in this JVM, as its command line runs it: commands through {@link Main} on the config
 * directory of a {@link TestConfig}, and a live daemon with its control socket, built as
 * {@code vouch run} builds them.
 */
final class InProcessVouch {
  /** What a command printed, and its exit code. */
  record Result(int exit, String out, String err) {}

  private final TestConfig config;
  private final Path install =
      Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();

  InProcessVouch(TestConfig config) {
    this.config = config;
  }

  /** Runs {@code vouch -c CONFIG ARGS...}. */
  Result run(String... args) {
    return runWithInput("", args);
  }

  Result runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new Main(new CliContext(new PrintWriter(out), new PrintWriter(err),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        Clock.systemDefaultZone(), install, Optional.empty())).run(withConf(args));
    return new Result(exit, out.toString(), err.toString());
  }

  private String[] withConf(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "-c";
    all[1] = config.dir.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return all;
  }

  /** A live daemon with its control socket; close it to stop both. */
  Daemon startDaemon() {
    StringWriter out = new StringWriter();
    CliContext context = new CliContext(new PrintWriter(out), new PrintWriter(out),
        System.in, Clock.systemDefaultZone(), install, Optional.empty());
    VouchConf conf = VouchConf.read(config.dir, install);
    Daemon daemon = Daemon.start(conf, ConfigLoader.jails(conf), Daemon.Mode.LIVE,
        Clock.systemDefaultZone(), Clock.systemDefaultZone().getZone());
    daemon.attach(RunCommand.serve(conf, daemon, context));
    return daemon;
  }

  /** Deletes the database, to start afresh. */
  void deleteDatabase() throws IOException {
    for (String name : new String[] {"vouch.script", "vouch.log", "vouch.properties",
        "vouch.data", "vouch.lock", "vouch.backup"}) {
      Files.deleteIfExists(config.dir.resolve("state").resolve(name));
    }
  }

  /**
   * A transcript entry: the command, its exit code, and what it printed with the times made
   * constant. Left out is what says whether the daemon runs (status --format json, and the note
   * of an offline ban that the firewall gets it later).
   */
  static String transcript(String[] command, Result result) {
    return String.join(" ", command) + " -> " + result.exit() + '\n'
        + result.out().replaceAll("\\d+d \\d+h left", "T left")
            .replaceAll("\"(created|renewed|expires|since|until|time)\": \"[^\"]*\"", "\"$1\": T")
            .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d", "TIME")
            .replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "INSTANT")
            .replaceAll("\"running\": (true|false)", "\"running\": R")
        + result.err().replaceAll("(?m)^note: vouch is not running;.*\n", "");
  }
}
