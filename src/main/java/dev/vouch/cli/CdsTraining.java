package dev.vouch.cli;

import dev.vouch.config.VouchConf;
import dev.vouch.daemon.Daemon;
import dev.vouch.daemon.Logging;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The workload from which the build makes {@code target/vouch.jsa}, the class-data sharing
 * archive that bin/vouch starts the JVM with (bin/vouch-cds): run once with {@code
 * -XX:DumpLoadedClassList}, it starts a daemon in this JVM on a configuration of its own, sends
 * it commands over its socket as the command line does, then runs the same commands without it,
 * a filter test and some help. Every class they load, the JDK's and picocli's among them, is
 * then mapped ready-made at a later start instead of being read, parsed and verified.
 *
 * <p>Usage: {@code java -XX:DumpLoadedClassList=vouch.classes -cp vouch.jar
 * dev.vouch.cli.CdsTraining}. It prints nothing unless a command fails, and exits 1 then.
 */
public final class CdsTraining {
  private static final String JAIL_LOCAL = """
      [DEFAULT]
      ignoreself = false
      [sshd-allow]
      enabled = true
      filter = sshd-success
      logpath = %(fail2ban_confpath)s/auth.log
      allowfor = sshd
      allowtime = 30d
      [sshd]
      enabled = true
      filter = sshd-fail
      logpath = %(fail2ban_confpath)s/auth.log
      maxretry = 3
      bantime = 1h
      ignoreip = 192.0.2.0/24
      action = log[path=%(fail2ban_confpath)s/state/decisions.log]
      """;

  private final Path conf;
  private final Path install;
  private int failures;

  private CdsTraining(Path conf, Path install) {
    this.conf = conf;
    this.install = install;
  }

  public static void main(String[] args) throws Exception {
    Logging.configure("STDERR", "ERROR", ZoneId.systemDefault());
    Path dir = Files.createTempDirectory("vouch-cds-");
    try {
      CdsTraining training = new CdsTraining(dir.resolve("conf"), CliContext.defaultInstall());
      training.run();
      if (training.failures > 0) {
        System.exit(1);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  private void run() throws IOException {
    Files.createDirectories(conf.resolve("filter.d"));
    Files.writeString(conf.resolve("vouch.conf"), "[Definition]\ndbfile = state/vouch\n"
        + "socket = state/vouch.sock\n[fail2ban]\nsync = off\n");
    Files.writeString(conf.resolve("jail.local"), JAIL_LOCAL);
    Files.writeString(conf.resolve("filter.d/sshd-fail.conf"), "[Definition]\nfailregex ="
        + " ^\\s*\\S+ sshd\\[\\d+\\]: Failed password for \\S+ from <ADDR> port \\d+\n");
    Files.writeString(conf.resolve("auth.log"), "");
    Path imports = conf.resolve("imports.txt");
    Files.writeString(imports, "# offices\n203.0.113.0/28 jail=sshd note=\"branch\"\n");
    List<List<String>> state = List.of(
        List.of("allow", "add", "198.51.100.4", "--jail", "sshd", "--ttl", "1d"),
        List.of("allow", "check", "198.51.100.4"),
        List.of("allow", "check", "198.51.100.5", "--format", "json"),
        List.of("allow", "list"), List.of("allow", "list", "--format", "json"),
        List.of("ban", "203.0.113.9", "--jail", "sshd"), List.of("status"),
        List.of("status", "sshd", "--format", "json"), List.of("explain", "203.0.113.9"),
        List.of("unban", "203.0.113.9"), List.of("allow", "import", imports.toString()),
        List.of("allow", "export"), List.of("allow", "remove", "198.51.100.4"),
        List.of("allow", "prune"));

    VouchConf settings = VouchConf.read(conf, install);
    try (Daemon daemon = Daemon.start(settings, ConfigLoader.jails(settings), Daemon.Mode.LIVE,
        Clock.systemDefaultZone(), ZoneId.systemDefault())) {
      daemon.attach(RunCommand.serve(settings, daemon, context()));
      state.forEach(this::vouch);
    }
    state.forEach(this::vouch);
    vouch(List.of("check-config"));
    vouch(List.of("test-filter", "--format", "json", "sshd-success", "Nov 22 06:58:00 host1"
        + " sshd[11]: Accepted publickey for alice from 198.51.100.4 port 22 ssh2"));
    // A log file in summary mode: the block reader, the matching threads, the summary.
    Path log = conf.resolve("training.log");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      lines.append(String.format("Nov 22 06:%02d:%02d host1 sshd[%d]: %s 198.51.100.%d port 22"
          + " ssh2%n", i / 60 % 60, i % 60, 100 + i, i % 3 == 0 ? "Accepted publickey for alice"
          + " from" : "Failed password for root from", i % 250));
    }
    Files.writeString(log, lines);
    vouch(List.of("test-filter", "sshd-success", log.toString()));
    vouch(List.of("test-filter", "sshd-fail", log.toString()));
    vouch(List.of("--help"));
    vouch(List.of("allow", "add", "--help"));
    vouch(List.of("--version"));
  }

  private CliContext context() {
    return new CliContext(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        new ByteArrayInputStream(new byte[0]), Clock.systemDefaultZone(), install,
        Optional.empty());
  }

  /** Runs {@code vouch -c CONF ARGS...} as the command line does; a failure is reported. */
  private void vouch(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = Stream.concat(Stream.of("-c", conf.toString()), args.stream())
        .toArray(String[]::new);
    Main.prepare(all);
    int exit = new Main(new CliContext(new PrintWriter(out), new PrintWriter(err),
        new ByteArrayInputStream(new byte[0]), Clock.systemDefaultZone(), install,
        Optional.empty())).run(all);
    if (exit > 1) {
      failures++;
      System.err.println("cds training: vouch " + String.join(" ", args) + " exited with "
          + exit + ": " + err);
    }
  }
}
