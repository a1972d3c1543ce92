package dev.vouch.cli;

import dev.vouch.config.JailConfig;
import dev.vouch.config.VouchConf;
import dev.vouch.control.AccessPolicy;
import dev.vouch.control.Accounts;
import dev.vouch.control.ControlResponse;
import dev.vouch.control.ControlServer;
import dev.vouch.daemon.Daemon;
import dev.vouch.daemon.Logging;
import dev.vouch.jail.JailStatus;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vouch run}: the daemon; with {@code --replay}, one pass over the logs. */
@Command(name = "run",
    description = {"Run the daemon: watch the logs of the enabled jails, allow on success,"
        + " ban on failure.",
        "With --replay, read the logs from their start (their dates are the clock), print what"
            + " was allowed and banned, and exit."},
    footer = {"%nExamples:",
        "  vouch run -c /etc/vouch",
        "  bin/vouch run -c examples/quickstart --replay"})
final class RunCommand implements Callable<Integer> {
  @ParentCommand VouchCommand root;

  @Option(names = "--replay",
      description = "Read the logs from their start and exit at their end.")
  boolean replay;

  private final CliContext context;

  RunCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    VouchConf conf = ConfigLoader.settings(root.globals, context.install);
    List<JailConfig> jails = ConfigLoader.jails(conf);
    if (jails.isEmpty()) {
      throw new UsageException("no jail is enabled in " + conf.configDir()
          + ": set enabled = true in a jail of jail.local (see vouch check-config)");
    }
    ZoneId zone = context.clock.getZone();
    Logging.configure(conf.logtarget(), conf.loglevel(), zone);
    long start = System.nanoTime();
    Daemon daemon = Daemon.start(conf, jails, replay ? Daemon.Mode.REPLAY : Daemon.Mode.LIVE,
        context.clock, zone);
    if (replay) {
      StringWriter summary = new StringWriter();
      try (daemon) {
        daemon.awaitReplay();
        writeSummary(daemon, (System.nanoTime() - start) / 1e9, new PrintWriter(summary));
      }
      // After the daemon's last log line: the summary is what the reader looks at.
      context.out.print(summary);
      context.out.flush();
      return ExitCode.OK;
    }
    daemon.attach(serve(conf, daemon, context));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      daemon.close();
      stopped.countDown();
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    return ExitCode.OK;
  }

  /**
   * The control socket: each request runs as the same command would on the command line, here,
   * on the live daemon.
   */
  static ControlServer serve(VouchConf conf, Daemon daemon, CliContext context) {
    Optional<Integer> gid = conf.socketGroup().flatMap(Accounts::gid);
    if (conf.socketGroup().isPresent() && gid.isEmpty()) {
      throw new UsageException("socketgroup: no group named " + conf.socketGroup().get()
          + " on this machine");
    }
    ControlServer server = new ControlServer(conf.socket(), new AccessPolicy(Accounts.uid(), gid),
        conf.socketGroup(), (request, peer) -> {
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          InputStream in = new ByteArrayInputStream(request.stdin().orElse("")
              .getBytes(StandardCharsets.UTF_8));
          try (PrintWriter outWriter = new PrintWriter(out);
              PrintWriter errWriter = new PrintWriter(err)) {
            int code = new Main(new CliContext(outWriter, errWriter, in, context.clock,
                context.install, Optional.of(daemon))).run(request.argv().toArray(String[]::new));
            outWriter.flush();
            errWriter.flush();
            return new ControlResponse(code, out.toString(), err.toString());
          }
        });
    server.start();
    return server;
  }

  private static void writeSummary(Daemon daemon, double seconds, PrintWriter out) {
    var reset = daemon.replayReset();
    if (reset.allowances() > 0 || reset.bans() > 0) {
      out.printf("Started over: cleared %d allowances and %d bans an earlier run derived from"
          + " these logs.%n", reset.allowances(), reset.bans());
    }
    List<String> sources = new ArrayList<>();
    int files = daemon.filesRead();
    int journals = daemon.journalsRead();
    if (files > 0 || journals == 0) {
      sources.add(files + " log" + (files == 1 ? "" : "s"));
    }
    if (journals > 0) {
      sources.add(journals + " journal quer" + (journals == 1 ? "y" : "ies"));
    }
    out.printf("Replayed %,d lines of %s in %.2f s.%n", daemon.linesRead(),
        String.join(" and ", sources), seconds);
    long[] odd = daemon.linesSkippedAndUndecodable();
    if (odd[0] > 0 || odd[1] > 0) {
      out.printf("  %,d line%s skipped for being longer than maxlinelength; %,d not UTF-8 (read"
          + " with U+FFFD in place of the bad bytes).%n", odd[0], odd[0] == 1 ? "" : "s", odd[1]);
    }
    for (JailStatus status : daemon.call(view -> view.status())) {
      if (status instanceof JailStatus.AllowJailStatus allow) {
        out.printf("  %s: vouched for %d address%s (%d in force, for %s)%n", allow.name(),
            allow.totalGranted(), allow.totalGranted() == 1 ? "" : "es", allow.allowed().size(),
            String.join(" ", allow.allowFor()));
      } else if (status instanceof JailStatus.BanJailStatus ban) {
        out.printf("  %s: %d failures counted, %d ban%s (%d in force), %d failures spared"
            + " because the address was vouched for%n", ban.name(), ban.totalFailed(),
            ban.totalBanned(), ban.totalBanned() == 1 ? "" : "s", ban.banned().size(),
            ban.spared());
      }
    }
    out.printf("State: %s (try: vouch -c %s status, or explain ADDRESS)%n",
        daemon.database().path(), daemon.conf().configDir());
  }
}
