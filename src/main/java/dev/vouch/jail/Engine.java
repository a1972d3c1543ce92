package dev.vouch.jail;

import dev.vouch.allowlist.Allowlist;
import dev.vouch.filter.FilterMatch;
import dev.vouch.net.Cidr;
import dev.vouch.watch.LogPosition;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The engine: one thread ({@code engine}) that owns every decision. Readers hand it matches,
 * commands hand it work; it applies them to the {@link Jails}, ends bans and allowances on
 * time, and passes each batch of changes to the {@link StoreWriter}. Commands complete once
 * their changes are on disk.
 *
 * <p>Live, the clock is the injected one. In a replay the clock is the log: it advances with the
 * dates of the lines, so bans and allowances end as they would have.
 *
 * <p>Thread-safe: every public method may be called from any thread.
 */
public final class Engine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.engine");
  private static final int BATCH_LIMIT = 5000;
  private static final long BATCH_MILLIS = 50;
  /**
   * A replay answers no one while it runs: its state goes to the disk once a second (and at the
   * end), not whenever the engine catches up with the readers, each commit being an fsync.
   */
  private static final long REPLAY_BATCH_MILLIS = 1000;
  /** How often the failure windows are written (and at the end): see {@code Jails}. */
  private static final long WINDOW_FLUSH_NANOS = 30_000_000_000L;
  /**
   * ... and sooner once this many wait: a flood of addresses (a botnet) keeps the windows it
   * changed in memory only until there are this many, about 2.5 MB of them.
   */
  private static final int WINDOW_FLUSH_ROWS = 10_000;
  private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);

  private final Jails jails;
  private final EngineStore store;
  private final StoreWriter writer;
  private final Clock clock;
  private final boolean live;
  private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>(100_000);
  private final Thread thread;
  private final List<Runnable> durableCallbacks = new ArrayList<>();
  private volatile boolean stopping;
  private Instant logClock;
  private Instant nextCleanup;
  private long lastFlush;
  private long lastWindowFlush = System.nanoTime();

  /**
   * @param live false for a replay, where the dates of the lines are the clock
   */
  public Engine(EngineStore store, Clock clock, ZoneId zone, boolean live) {
    this.store = store;
    this.writer = new StoreWriter(store);
    this.clock = clock;
    this.live = live;
    this.jails = new Jails(new Allowlist(), () -> ThreadLocalRandom.current().nextDouble(), live,
        zone);
    this.thread = new Thread(this::run, "engine");
  }

  // --- setup, before start() ---

  public void addBanJail(BanJailSettings settings, JailActions actions) {
    jails.addBanJail(settings, actions, clock.instant());
  }

  public void addAllowJail(AllowJailSettings settings, JailActions actions) {
    jails.addAllowJail(settings, actions, clock.instant());
  }

  /** An {@code ignoreip} entry of jail {@code scope} (or {@code *}). */
  public void addConfigAllowance(Cidr network, String scope, String origin) {
    jails.allowFromConfig(network, scope, origin, clock.instant());
  }

  public void addListener(AllowlistListener listener) {
    jails.addListener(listener);
  }

  /** Loads the saved state, re-applies bans, and starts the engine and writer threads. */
  public EngineStore.Snapshot start() {
    Instant now = clock.instant();
    EngineStore.Snapshot snapshot = store.load();
    jails.restore(snapshot, now);
    nextCleanup = now.plus(CLEANUP_EVERY);
    writer.start();
    writer.write(jails.takeChanges(), List.of());
    thread.start();
    return snapshot;
  }

  // --- input, from any thread ---

  /** A filter of jail {@code jail} matched {@code line}. Blocks while the engine is far behind. */
  public void found(String jail, FilterMatch match, String line) {
    enqueue(() -> handle(jail, match, line));
  }

  /** A match, on the engine thread. */
  private void handle(String jail, FilterMatch match, String line) {
    if (!live) {
      // Replay: time is the log's, so what ends before this line ends before it is handled,
      // whatever the pace of the threads.
      advanceLogClock(match.time());
      advance(now());
    }
    jails.found(jail, match, line, now());
  }

  /** A match of jail {@code jail} in {@code line}. */
  public record Found(String jail, FilterMatch match, String line) {}

  /**
   * A replay's matches of a batch of lines, in order, as one piece of work: each is handled as
   * {@link #found(String, FilterMatch, String)} would, without a hand-over per match.
   */
  public void replayed(List<Found> matches) {
    enqueue(() -> matches.forEach(found -> handle(found.jail(), found.match(), found.line())));
  }

  /**
   * The matches of a batch of lines of one log and the position after it, handled as one piece
   * of work: a write of the engine's state never holds the counts of part of a batch without
   * its position, so a restart after kill -9 reads no counted line again.
   */
  public void found(List<Found> matches, LogPosition position) {
    enqueue(() -> {
      for (Found found : matches) {
        jails.found(found.jail(), found.match(), found.line(), now());
      }
      jails.position(position);
    });
  }

  /**
   * Runs {@code work} on the engine thread; the future completes with its result once the
   * changes it made are durable, or at once when it changed nothing (a query answers even while
   * the disk is full).
   */
  public <T> CompletableFuture<T> call(Function<EngineView, T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    enqueue(() -> {
      long before = jails.pendingMutations();
      T value;
      try {
        value = work.apply(new EngineView(jails, now()));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        return;
      }
      if (jails.pendingMutations() == before) {
        result.complete(value);
      } else {
        durableCallbacks.add(() -> result.complete(value));
      }
    });
    return result;
  }

  private void enqueue(Runnable work) {
    if (stopping) {
      throw new IllegalStateException("the engine is stopping");
    }
    try {
      queue.put(work);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing work to the engine", e);
    }
  }

  private Instant now() {
    return live || logClock == null ? clock.instant() : logClock;
  }

  private void advanceLogClock(double epochSeconds) {
    if (!Double.isNaN(epochSeconds)) {
      Instant time = Instant.ofEpochMilli(Math.round(epochSeconds * 1000));
      if (logClock == null || time.isAfter(logClock)) {
        logClock = time;
      }
    }
  }

  // --- the engine thread ---

  private void run() {
    while (!stopping || !queue.isEmpty()) {
      try {
        Runnable work = queue.poll(waitMillis(), TimeUnit.MILLISECONDS);
        if (work != null) {
          runQuietly(work);
          for (int n = 0; n < BATCH_LIMIT && (work = queue.poll()) != null; n++) {
            runQuietly(work);
          }
        }
      } catch (InterruptedException e) {
        stopping = true;
      }
      advance(now());
      long millis = System.nanoTime() / 1_000_000;
      if (live ? queue.isEmpty() || millis - lastFlush >= BATCH_MILLIS
          : millis - lastFlush >= REPLAY_BATCH_MILLIS) {
        flush();
        lastFlush = millis;
      }
    }
    flush();
  }

  /** Ends what is due at {@code now}; drops stale failure windows now and then. */
  private void advance(Instant now) {
    jails.tick(now);
    if (!now.isBefore(nextCleanup)) {
      jails.cleanup(now);
      nextCleanup = now.plus(CLEANUP_EVERY);
    }
  }

  private void flush() {
    long nanos = System.nanoTime();
    boolean windows = stopping || nanos - lastWindowFlush >= WINDOW_FLUSH_NANOS
        || jails.pendingWindows() >= WINDOW_FLUSH_ROWS;
    if (windows) {
      lastWindowFlush = nanos;
    }
    StateChanges changes = jails.takeChanges(windows);
    List<Runnable> callbacks = new ArrayList<>(durableCallbacks);
    durableCallbacks.clear();
    writer.write(changes, callbacks);
  }

  private long waitMillis() {
    if (!live) {
      return 100;
    }
    Optional<Instant> deadline = jails.nextDeadline();
    long millis = deadline.map(end -> Duration.between(clock.instant(), end).toMillis()).orElse(1000L);
    return Math.max(1, Math.min(millis, 1000));
  }

  private static void runQuietly(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "the engine could not handle an input; it goes on", e);
    }
  }

  /** True while the database refuses writes (changes are kept and retried). */
  public boolean storeFailing() {
    return writer.failing();
  }

  /**
   * Stops taking input, finishes what is queued, writes the last batch, and stops the threads.
   * Does not wait on actions: their owner stops them.
   */
  @Override
  public void close() {
    stopping = true;
    queue.offer(() -> { }); // wakes the engine thread from its wait
    try {
      if (thread.isAlive()) {
        thread.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.close();
  }
}
