package dev.vouch.filter;

import dev.vouch.filter.FilterSession.LineResult;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Runs filters over many lines on several threads with the results of a sequential run: the
 * stateless part of each line (decoding, date, prefilter, regexes, and the date's time where the
 * session's "now" is fixed) in parallel chunks, the stateful part (connection cache, last date)
 * on the caller's thread, in input order. Multi-line filters run sequentially, on the caller's
 * thread. Owns its worker threads ({@code match-N}); close it to stop them.
 */
public final class ParallelFilterRun implements AutoCloseable {
  /** Fewer lines than this are matched on the caller's thread: not worth a hand-over. */
  private static final int SMALL = 256;

  /** Gives lines in order, in batches of its own size (a chunk each); null at the end. */
  @FunctionalInterface
  public interface LineSource {
    /**
     * The next lines; a batch may cut and decode its lines when they are read, on the thread
     * that reads them (a worker), so the reader only reads.
     */
    List<String> next() throws IOException;
  }

  /** Receives each line with its number (from 1) and result; null result for skipped lines. */
  @FunctionalInterface
  public interface ResultSink {
    void accept(long number, String line, LineResult result) throws IOException;
  }

  /** Receives each line with its results, one per session (null where a line is skipped). */
  @FunctionalInterface
  public interface ResultsSink {
    void accept(String line, LineResult[] results);
  }

  private final int threads;
  private final ExecutorService workers;
  /** Each worker's date sessions and prefilter scratch space, by filter. */
  private final ThreadLocal<Map<Filter, Scratch>> scratch =
      ThreadLocal.withInitial(HashMap::new);

  /**
   * A worker's state for one filter. Its date session's stopwatch is read once per chunk
   * ({@link Scratch#tick}) rather than per line: fail2ban's five minutes after which an unused
   * date template may give way are not changed by the few milliseconds of a chunk.
   */
  private static final class Scratch {
    final DateSession dates;
    final long[] found;
    private long now = System.nanoTime();

    Scratch(Filter filter) {
      this.dates = filter.dates().session(() -> now);
      this.found = filter.scanner().newFoundSet();
    }

    void tick() {
      now = System.nanoTime();
    }
  }

  public ParallelFilterRun(int threads) {
    this.threads = Math.max(1, threads);
    AtomicInteger count = new AtomicInteger();
    this.workers = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads, task -> {
      Thread thread = new Thread(task, "match-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Processes every line of {@code source} through {@code session} (test-filter); lines for which
   * {@code skip} holds are not matched. The caller's thread only reads; the in-order part runs on
   * the worker that matched the chunk next in line, while that chunk is still in its cache, one
   * worker at a time ({@link InOrder}).
   */
  public void run(FilterSession session, LineSource source, Predicate<String> skip,
      ResultSink sink) throws IOException {
    List<FilterSession> sessions = List.of(session);
    if (workers == null) {
      long number = 0;
      for (List<String> lines; (lines = source.next()) != null; ) {
        Chunk chunk = new Chunk(sessions, lines, skip).prematch();
        for (int i = 0; i < chunk.lines.length; i++) {
          sink.accept(++number, chunk.lines[i], chunk.finish(0, i));
        }
      }
      return;
    }
    InOrder inOrder = new InOrder(sink, threads * 3);
    long chunks = 0;
    for (List<String> lines; (lines = source.next()) != null; chunks++) {
      inOrder.admit();
      Chunk chunk = new Chunk(sessions, lines, skip);
      long sequence = chunks;
      workers.execute(() -> inOrder.matched(sequence, chunk));
    }
    inOrder.awaitAll(chunks);
  }

  /**
   * Hands the chunks of a {@link #run} to its sink in order: a worker that has matched a chunk
   * leaves it here, and finishes it itself if it is next and no other worker is finishing; a
   * worker that is finishing goes on with the next chunk where it is ready. So one thread at a
   * time touches the session and the sink, each after the last (through this monitor), and the
   * reader keeps at most {@code capacity} chunks in flight.
   */
  private static final class InOrder {
    private final ResultSink sink;
    private final int capacity;
    private final Map<Long, Chunk> ready = new HashMap<>();
    private long next;
    private long number;
    private int inFlight;
    private boolean finishing;
    private Throwable failure;

    InOrder(ResultSink sink, int capacity) {
      this.sink = sink;
      this.capacity = capacity;
    }

    /** Waits for room for one more chunk (on the reader's thread). */
    synchronized void admit() throws IOException {
      while (inFlight >= capacity && failure == null) {
        waitHere();
      }
      rethrow();
      inFlight++;
    }

    /** Waits until {@code chunks} chunks are finished, or one failed. */
    synchronized void awaitAll(long chunks) throws IOException {
      while (next < chunks && failure == null) {
        waitHere();
      }
      rethrow();
    }

    /** Matches a chunk (on a worker), then leaves it to be finished in turn. */
    void matched(long sequence, Chunk chunk) {
      try {
        chunk.prematch();
      } catch (Throwable e) {
        fail(e);
        return;
      }
      synchronized (this) {
        ready.put(sequence, chunk);
        if (finishing || failure != null) {
          return;
        }
        finishing = true;
      }
      while (true) {
        Chunk turn;
        synchronized (this) {
          turn = failure == null ? ready.remove(next) : null;
          if (turn == null) {
            finishing = false;
            notifyAll();
            return;
          }
        }
        try {
          for (int i = 0; i < turn.lines.length; i++) {
            sink.accept(++number, turn.lines[i], turn.finish(0, i));
          }
        } catch (Throwable e) {
          fail(e);
          return;
        }
        synchronized (this) {
          next++;
          inFlight--;
          notifyAll();
        }
      }
    }

    private synchronized void fail(Throwable e) {
      if (failure == null) {
        failure = e;
      }
      ready.clear();
      finishing = false;
      notifyAll();
    }

    private void waitHere() throws IOException {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while matching", e);
      }
    }

    private void rethrow() throws IOException {
      if (failure instanceof IOException io) {
        throw io;
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      if (failure != null) {
        throw new IOException(failure);
      }
    }
  }

  /**
   * Starts matching {@code lines} through each of {@code sessions} and returns at once: the
   * workers match, and {@link Batch#finish} later hands each line's results over in order, on
   * the caller's thread. A log reader keeps one batch in flight this way while it reads the
   * next and finishes the one before, so neither its reading nor the in-order part of matching
   * leaves the workers idle. A small batch is matched here and now.
   */
  public Batch start(List<FilterSession> sessions, List<String> lines) {
    Deque<Future<Chunk>> pending = new ArrayDeque<>();
    if (workers == null || lines.size() < SMALL) {
      pending.add(done(new Chunk(sessions, lines, line -> false)));
    } else {
      int chunkSize = Math.max(SMALL, (lines.size() + threads - 1) / threads);
      for (int from = 0; from < lines.size(); from += chunkSize) {
        pending.add(submit(new Chunk(sessions,
            lines.subList(from, Math.min(lines.size(), from + chunkSize)), line -> false)));
      }
    }
    return new Batch(sessions.size(), pending);
  }

  /** Lines being matched, whose results are taken in order once. */
  public static final class Batch {
    private final int sessions;
    private final Deque<Future<Chunk>> pending;

    private Batch(int sessions, Deque<Future<Chunk>> pending) {
      this.sessions = sessions;
      this.pending = pending;
    }

    /** Waits for the matching and hands each line's results to {@code sink}, in order. */
    public void finish(ResultsSink sink) throws IOException {
      while (!pending.isEmpty()) {
        Chunk chunk = await(pending.removeFirst());
        for (int i = 0; i < chunk.lines.length; i++) {
          LineResult[] results = new LineResult[sessions];
          for (int j = 0; j < results.length; j++) {
            results[j] = chunk.finish(j, i);
          }
          sink.accept(chunk.lines[i], results);
        }
      }
    }
  }

  private Future<Chunk> submit(Chunk chunk) {
    return workers == null ? done(chunk) : workers.submit(chunk::prematch);
  }

  private static Future<Chunk> done(Chunk chunk) {
    return java.util.concurrent.CompletableFuture.completedFuture(chunk.prematch());
  }

  private static Chunk await(Future<Chunk> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while matching", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(e.getCause());
    }
  }

  /** Lines with the prematches of each single-line session; the rest is done in order. */
  private final class Chunk {
    final List<FilterSession> sessions;
    final List<String> source;
    final Predicate<String> skip;
    /** Filled by {@link #prematch} (on a worker, which may cut the lines there). */
    String[] lines;
    boolean[] skipped;
    /**
     * prematches[j][i]: session j's prematch of line i; null for a multi-line session, and null
     * at a line that nothing matched (most lines of a log), which leaves only its date to parse
     * (where it has text to parse) and template, in {@code missDates} and {@code missTemplates}:
     * the in-order part then reads no more of it.
     */
    final Prematch[][] prematches;
    final FilterSession.DateValue[][] missDates;
    final String[][] missTemplates;

    Chunk(List<FilterSession> sessions, List<String> source, Predicate<String> skip) {
      this.sessions = sessions;
      this.source = source;
      this.skip = skip;
      this.prematches = new Prematch[sessions.size()][];
      this.missDates = new FilterSession.DateValue[sessions.size()][];
      this.missTemplates = new String[sessions.size()][];
    }

    Chunk prematch() {
      Map<Filter, Scratch> mine = scratch.get();
      lines = new String[source.size()];
      skipped = new boolean[lines.length];
      for (int i = 0; i < lines.length; i++) {
        lines[i] = source.get(i);
        skipped[i] = skip.test(lines[i]);
      }
      int count = sessions.size();
      // A session scans its lines' literals itself, or takes the scan of an earlier session that
      // it shares a scanner with (paired jails on one log), and with it the date where the two
      // read dates alike; -1 for a multi-line session.
      int[] scanOf = new int[count];
      Scratch[] own = new Scratch[count];
      for (int j = 0; j < count; j++) {
        Filter filter = sessions.get(j).filter();
        scanOf[j] = filter.maxlines() > 1 ? -1 : j;
        for (int k = 0; k < j && scanOf[j] == j; k++) {
          if (scanOf[k] == k && filter.sharesScanWith(sessions.get(k).filter())) {
            scanOf[j] = k;
          }
        }
        if (scanOf[j] >= 0) {
          own[j] = mine.computeIfAbsent(filter, Scratch::new);
          own[j].tick();
          prematches[j] = new Prematch[lines.length];
          missDates[j] = new FilterSession.DateValue[lines.length];
          missTemplates[j] = new String[lines.length];
        }
      }
      Filter.Scan[] scans = new Filter.Scan[count];
      for (int i = 0; i < lines.length; i++) {
        if (skipped[i]) {
          continue;
        }
        for (int j = 0; j < count; j++) {
          int k = scanOf[j];
          if (k < 0) {
            continue;
          }
          FilterSession session = sessions.get(j);
          Filter filter = session.filter();
          // The date session that found the line's date reads its time too.
          DateSession dates = own[j].dates;
          if (k == j) {
            scans[j] = filter.scan(lines[i], dates, own[j].found);
          } else if (filter.sharesDatesWith(sessions.get(k).filter())) {
            scans[j] = scans[k];
            dates = own[k].dates;
          } else {
            scans[j] = filter.scan(lines[i], dates, own[j].found, scans[k]);
          }
          Prematch prematch = filter.prematch(scans[j], session.checksAll());
          if (prematch.isMiss()) {
            FilterSession.DateValue date = prematch.date();
            missDates[j][i] = date.kind() == FilterSession.DateValue.PARSE ? date : null;
            missTemplates[j][i] = prematch.template();
          } else {
            prematches[j][i] = session.withTime(prematch, dates);
          }
        }
      }
      return this;
    }

    /** Session {@code j}'s result for line {@code i}, on the caller's thread, in order. */
    LineResult finish(int j, int i) {
      if (skipped[i]) {
        return null;
      }
      FilterSession session = sessions.get(j);
      if (prematches[j] == null) {
        return session.process(lines[i]);
      }
      Prematch prematch = prematches[j][i];
      return prematch != null ? session.finish(prematch)
          : session.finishMiss(missDates[j][i], missTemplates[j][i]);
    }
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
