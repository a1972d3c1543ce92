package dev.vouch.watch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the systemd journal through {@code journalctl --output=json}, on its own thread
 * ({@code journal-NAME}), and hands each entry on as the line fail2ban's systemd backend builds
 * ({@link JournalEntry}) with the entry's time, and the entry's cursor as its position.
 *
 * <p>Where it starts: after a saved cursor ({@code --after-cursor}), so that a restart neither
 * loses nor repeats an entry; without one, at now less findtime ({@code --since}), as fail2ban
 * starts a journal; in a replay (no follow), at the journal's first entry, reading to its last
 * and stopping. When journalctl cannot be started or exits while following, the reader says
 * why and what to do, and starts it again after a growing pause (1 s up to a minute) from the
 * last entry read. {@link #close()} kills journalctl and waits for it.
 *
 * <p>Thread-safe: start, close and the counters may be used from any thread.
 */
public final class JournalReader implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.watch");
  private static final int CHUNK_LINES = 1000;
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration LONGEST_PAUSE = Duration.ofMinutes(1);
  private static final int STDERR_LINES = 20;

  private final String name;
  private final JournalQuery query;
  private final LineSink sink;
  private final int maxLine;
  private final boolean follow;
  private final long sinceSeconds;
  private final Thread thread;
  private final CountDownLatch started = new CountDownLatch(1);
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong tooLong = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private final AtomicLong runs = new AtomicLong();
  private final Object lock = new Object();
  private volatile boolean closed;
  private volatile String problem;
  /** Where the next journalctl starts: after this cursor, when there is one. */
  private volatile String cursor;
  /** Whether {@link #cursor} is the saved one, not yet confirmed by journalctl. */
  private boolean cursorFromStore;
  private Process process;

  /**
   * @param name the jail (or jails) reading, for the thread's name and messages
   * @param saved where an earlier run stopped (its {@code fileKey} is the cursor)
   * @param findtime how far back a journal without a saved cursor is read
   * @param maxLine rebuilt lines longer than this many characters are skipped and counted
   * @param follow false to read every matching entry once and stop (replay)
   */
  public JournalReader(String name, JournalQuery query, Optional<LogPosition> saved,
      Duration findtime, Clock clock, LineSink sink, int maxLine, boolean follow) {
    this.name = name;
    this.query = query;
    this.sink = sink;
    this.maxLine = maxLine;
    this.follow = follow;
    this.sinceSeconds = clock.millis() / 1000 - findtime.toSeconds();
    saved.map(LogPosition::fileKey).filter(key -> !key.isEmpty()).ifPresent(key -> {
      cursor = key;
      cursorFromStore = true;
    });
    this.thread = new Thread(this::run, "journal-" + name);
    this.thread.setDaemon(true);
  }

  /** The key under which this reader's position is saved ({@link JournalQuery#key()}). */
  public String key() {
    return query.key();
  }

  /**
   * Starts reading; returns once journalctl runs (or could not be started), so that an entry
   * written after this returns is read. Waits a few seconds at most.
   */
  public void start() {
    thread.start();
    try {
      started.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until a reader that does not follow has read to the end. */
  public void join() throws InterruptedException {
    thread.join();
  }

  /** Entries handed on, over every journalctl run. */
  public long entries() {
    return entries.get();
  }

  /** Entries skipped because their line was longer than the limit. */
  public long tooLong() {
    return tooLong.get();
  }

  /** Entries with a value that was not valid UTF-8 (read with U+FFFD in its place). */
  public long undecodable() {
    return undecodable.get();
  }

  /** How many times journalctl was started. */
  public long runs() {
    return runs.get();
  }

  /** Why the journal is not being read right now, with what to do; empty while it is. */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** The command line of the next journalctl run. */
  List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(query.journalctl());
    command.add("--output=json");
    command.add("--all"); // whole values: journalctl writes null for one over 4 KiB otherwise
    command.add("--no-pager");
    command.add("--lines=all");
    if (follow) {
      command.add("--follow");
    }
    if (cursor != null) {
      command.add("--after-cursor=" + cursor);
    } else if (follow) {
      command.add("--since=@" + sinceSeconds);
    }
    command.addAll(query.selection());
    return command;
  }

  private void run() {
    Duration pause = FIRST_PAUSE;
    try {
      while (!closed) {
        long before = entries.get();
        long startedAt = System.nanoTime();
        Optional<String> failure = runOnce();
        if (closed || failure.isEmpty() && !follow) {
          break;
        }
        String why = failure.orElse("journalctl stopped");
        if (!follow) {
          report(why + "; the replay read " + entries.get() + " journal entries");
          break;
        }
        boolean healthy = entries.get() > before
            || System.nanoTime() - startedAt > LONGEST_PAUSE.toNanos();
        pause = healthy ? FIRST_PAUSE : pause;
        report(why + "; starting it again in " + pause.toSeconds() + " s"
            + (cursor == null ? "" : ", after the last entry read"));
        synchronized (lock) {
          if (!closed) {
            lock.wait(pause.toMillis());
          }
        }
        pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE
            : pause.multipliedBy(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A bug in what handles the lines: say so in the log rather than die silently.
      LOG.log(Level.ERROR, "[" + name + "] stopped reading the journal on an internal error", e);
    } finally {
      started.countDown();
      if (!follow) {
        sink.end();
      }
    }
  }

  /** Runs journalctl once, to its end; says why when that was a failure. */
  private Optional<String> runOnce() {
    List<String> command = command();
    Process journalctl;
    synchronized (lock) {
      if (closed) {
        return Optional.empty();
      }
      try {
        // An argument list, never a shell: nothing in a match is interpreted.
        journalctl = new ProcessBuilder(command).start();
      } catch (IOException e) {
        started.countDown();
        return Optional.of("cannot run " + query.journalctl() + " (" + reason(e) + "): backend"
            + " = systemd reads the journal with it. Install it (Debian, Ubuntu: apt-get install"
            + " systemd), or name it with backend = systemd[journalctl=/path/to/journalctl]");
      }
      process = journalctl;
    }
    runs.incrementAndGet();
    boolean fromStore = cursorFromStore;
    Deque<String> errors = new ArrayDeque<>();
    Thread stderr = new Thread(() -> drain(journalctl.getErrorStream(), errors),
        "journal-" + name + "-stderr");
    stderr.setDaemon(true);
    stderr.start();
    try {
      journalctl.getOutputStream().close();
      started.countDown();
      read(journalctl.getInputStream());
      int status = journalctl.waitFor();
      stderr.join(2000);
      if (closed) {
        return Optional.empty();
      }
      if (status == 0 && !follow) {
        problem = null;
        return Optional.empty();
      }
      String detail;
      synchronized (errors) {
        detail = errors.isEmpty() ? "" : ": " + errors.peekLast();
      }
      if (fromStore && cursorFromStore && detail.contains("cursor")) {
        // The saved cursor is not one this journal knows (another journal, or damaged): read
        // the last findtime instead, as with no saved position.
        cursor = null;
        cursorFromStore = false;
        return Optional.of("journalctl rejected the saved journal position" + detail
            + "; reading from findtime ago instead");
      }
      return Optional.of("journalctl exited with status " + status + detail);
    } catch (IOException e) {
      return Optional.of("reading journalctl's output failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      stop(journalctl);
    }
  }

  /** Reads journalctl's JSON lines, handing them on in chunks as they come. */
  private void read(InputStream out) throws IOException {
    // A JSON line is larger than the line it makes (binary values are lists of numbers).
    LineReader lines = new LineReader(out, Math.max(maxLine, 1 << 16) * 8);
    List<LineSink.Line> chunk = new ArrayList<>();
    String last = null;
    long lastMicros = 0;
    long invalid = 0;
    String json;
    while ((json = lines.next()) != null) {
      if (json.startsWith("{")) {
        try {
          JournalEntry entry = JournalEntry.parse(json);
          if (entry.undecodable()) {
            undecodable.incrementAndGet();
          }
          if (entry.line().length() > maxLine) {
            tooLong.incrementAndGet();
          } else {
            chunk.add(new LineSink.Line(entry.line(), entry.time()));
          }
          last = entry.cursor();
          lastMicros = Math.round(entry.time() * 1e6);
        } catch (IllegalArgumentException e) {
          if (invalid++ == 0) {
            LOG.log(Level.WARNING, "[{0}] skipping output of journalctl that is not a journal"
                + " entry: {1}", name, e.getMessage());
          }
        }
      }
      if (last != null && (chunk.size() >= CHUNK_LINES || out.available() == 0)) {
        deliver(chunk, last, lastMicros);
        chunk = new ArrayList<>();
        last = null;
      }
    }
    if (last != null) {
      deliver(chunk, last, lastMicros);
    }
  }

  private void deliver(List<LineSink.Line> chunk, String last, long micros) {
    if (closed) {
      return; // not handed on: the next run reads these entries again from the saved cursor
    }
    cursor = last;
    cursorFromStore = false;
    problem = null;
    entries.addAndGet(chunk.size());
    sink.lines(query.key(), chunk, new LogPosition(query.key(), last, micros, ""));
  }

  /** Logs journalctl's complaints and keeps the last few for the exit message. */
  private void drain(InputStream err, Deque<String> errors) {
    try (LineReader lines = new LineReader(err, 4096)) {
      String line;
      while ((line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        LOG.log(Level.WARNING, "[{0}] journalctl: {1}", name, line);
        synchronized (errors) {
          errors.addLast(line);
          if (errors.size() > STDERR_LINES) {
            errors.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The process is gone; what it wrote last is already logged.
    }
  }

  private void report(String why) {
    String message = "[" + name + "] " + why;
    if (!message.equals(problem)) {
      LOG.log(Level.ERROR, message);
    } else {
      LOG.log(Level.DEBUG, message);
    }
    problem = message;
  }

  private static String reason(IOException e) {
    String message = String.valueOf(e.getMessage());
    int detail = message.indexOf(", ");
    return detail >= 0 ? message.substring(detail + 2) : message;
  }

  /** Ends journalctl (TERM, then KILL) and reaps it. */
  private void stop(Process running) {
    running.destroy();
    try {
      if (!running.waitFor(2, TimeUnit.SECONDS)) {
        running.destroyForcibly();
        running.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      running.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    synchronized (lock) {
      if (process == running) {
        process = null;
      }
    }
  }

  @Override
  public void close() {
    Process running;
    synchronized (lock) {
      closed = true;
      running = process;
      lock.notifyAll();
    }
    if (running != null) {
      stop(running);
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }

  @Override
  public String toString() {
    return query.key();
  }
}
