package dev.vouch.cli;

import dev.vouch.config.FilterDefinition;
import dev.vouch.config.FilterReader;
import dev.vouch.config.VouchConf;
import dev.vouch.daemon.Filters;
import dev.vouch.daemon.Resolver;
import dev.vouch.filter.Filter;
import dev.vouch.filter.FilterSession;
import dev.vouch.filter.ParallelFilterRun;
import dev.vouch.watch.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vouch test-filter}: vouch's fail2ban-regex. Runs a filter over a log (or one line) the
 * way fail2ban-regex does, trying every failregex on every line, and prints a summary or one JSON
 * object per line.
 */
@Command(name = "test-filter",
    description = {"Run a filter over a log file or one line, like fail2ban-regex.",
        "FILTER is a filter name (filter.d of the config directory, vouch's filters/, then"
            + " /etc/fail2ban/filter.d), with options as in a jail (sshd[mode=aggressive]),"
            + " or a path to a filter file."},
    footer = {"%nExamples:",
        "  vouch test-filter sshd /var/log/auth.log",
        "  vouch test-filter --format json dovecot-success /var/log/mail.log",
        "  vouch test-filter sshd 'Mar 1 10:00:00 sshd[1]: Invalid user x from 10.0.0.7'"})
final class TestFilterCommand implements Callable<Integer> {
  /** Bytes of the log read at a time: some two thousand lines, cut by the thread that matches. */
  private static final int BLOCK = 192 * 1024;

  @ParentCommand VouchCommand root;

  @Parameters(index = "0", paramLabel = "FILTER", description = "Filter name or path.")
  String filter;

  @Parameters(index = "1", paramLabel = "LOG|LINE",
      description = "A log file, - for standard input, or one log line.")
  String input;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "text: a summary like fail2ban-regex; json: one object per line.")
  String format;

  @Option(names = "--now", paramLabel = "INSTANT",
      description = "Reference time for dates without a year (ISO-8601 or epoch seconds).")
  String now;

  @Option(names = "--tz", paramLabel = "ZONE",
      description = "Zone of dates that carry none (default: this machine's).")
  String zone;

  @Option(names = "--journal",
      description = "Lines come from the journal and carry no date: the time is now.")
  boolean journal;

  @Option(names = "--datepattern", paramLabel = "PATTERN",
      description = "Use this datepattern instead of the filter's.")
  String datepattern;

  @Option(names = "--usedns", paramLabel = "yes|warn|no|raw",
      description = "What to do with host names (default: the filter's, else warn).")
  String usedns;

  private final CliContext context;

  TestFilterCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    if (!format.equals("text") && !format.equals("json")) {
      throw new UsageException("--format: expected text or json. Found: " + format);
    }
    Clock clock = clock();
    ZoneId zoneId = zone();
    FilterDefinition definition = definition();
    Filter compiled = Filters.compile(definition, usedns == null ? "warn" : usedns,
        Optional.ofNullable(datepattern), Optional.empty(), java.time.Year.now(clock));
    FilterSession session = compiled.newTestSession(clock, zoneId, new Resolver(), false);
    boolean file = Files.isRegularFile(Path.of(input)) || input.equals("-");
    TestFilterOutput output = format.equals("json")
        ? new TestFilterOutput.Json(context.out, zoneId)
        : new TestFilterOutput.Summary(context.out, compiled, definition, input, file);
    Predicate<String> skip = line -> line.isEmpty() || line.startsWith("#");
    Progress progress = new Progress(context.err);
    long start = System.nanoTime();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    try (InputStream in = open(file);
        LineReader lines = new LineReader(in, LineReader.DEFAULT_MAX_LINE);
        ParallelFilterRun run = new ParallelFilterRun(journal ? 1 : threads)) {
      double journalTime = clock.millis() / 1000.0;
      if (journal) {
        for (String line; (line = lines.next()) != null; ) {
          progress.tick();
          output.line(progress.count(), line,
              skip.test(line) ? null : session.process(line, journalTime));
        }
      } else {
        run.run(session, () -> lines.nextBlock(BLOCK), skip, (number, line, result) -> {
          progress.tick();
          output.line(number, line, result);
        });
      }
      output.finish((System.nanoTime() - start) / 1e9, lines.tooLong(), lines.undecodable());
    } finally {
      progress.close();
    }
    return output.matched() > 0 ? ExitCode.OK : ExitCode.NEGATIVE;
  }

  private InputStream open(boolean file) throws IOException {
    if (input.equals("-")) {
      return context.in;
    }
    if (file) {
      return Files.newInputStream(Path.of(input));
    }
    return new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private FilterDefinition definition() {
    VouchConf conf = VouchConf.read(root.globals.conf(), context.install);
    String spec = filter;
    Path asPath = Path.of(filter.contains("[") ? filter.substring(0, filter.indexOf('[')) : filter);
    if (!asPath.isAbsolute() && (filter.contains("/") || Files.isRegularFile(asPath))
        && Files.exists(asPath)) {
      spec = asPath.toAbsolutePath() + filter.substring(asPath.toString().length());
    }
    return new FilterReader(conf.filterSearchPath()).read(spec, journal ? "systemd" : "auto");
  }

  /** The run's "now": --now, else the time it starts (fixed, so every thread reads the same). */
  private Clock clock() {
    if (now == null) {
      return Clock.fixed(context.clock.instant(), ZoneId.systemDefault());
    }
    try {
      Instant instant = now.matches("\\d+(\\.\\d+)?")
          ? Instant.ofEpochMilli(Math.round(Double.parseDouble(now) * 1000))
          : Instant.parse(now);
      return Clock.fixed(instant, ZoneId.systemDefault());
    } catch (DateTimeException e) {
      throw new UsageException("--now: expected an ISO-8601 instant like 2026-03-01T10:00:00Z"
          + " or epoch seconds. Found: " + now);
    }
  }

  private ZoneId zone() {
    if (zone == null) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new UsageException("--tz: expected a zone like Europe/Berlin, UTC or +02:00."
          + " Found: " + zone);
    }
  }

  /** Prints a progress line to stderr every two seconds of a long run. */
  private static final class Progress implements AutoCloseable {
    private final java.io.PrintWriter err;
    private final long start = System.nanoTime();
    private long next = start + 2_000_000_000L;
    private long count;

    Progress(java.io.PrintWriter err) {
      this.err = err;
    }

    void tick() {
      count++;
      if ((count & 0x3fff) == 0 && System.nanoTime() > next) {
        next = System.nanoTime() + 2_000_000_000L;
        double seconds = (System.nanoTime() - start) / 1e9;
        err.println("test-filter: " + TestFilterOutput.grouped(count) + " lines, "
            + TestFilterOutput.grouped(Math.round(count / seconds)) + " lines/s");
        err.flush();
      }
    }

    long count() {
      return count;
    }

    @Override
    public void close() {}
  }
}
