package dev.vouch.filter;

import dev.vouch.filter.FilterSession.LineResult;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Runs a filter over a long input on several threads with the results of a sequential run: the
 * stateless part of each line (decoding, date, prefilter, regexes, and the date's time where the
 * session's "now" is fixed) in parallel batches, the stateful part (connection cache, last date)
 * on the caller's thread, in input order. Multi-line filters run sequentially. Owns its worker
 * threads ({@code match-N}); close it to stop them.
 */
public final class ParallelFilterRun implements AutoCloseable {
  private static final int BATCH = 2048;

  /**
   * Gives lines in order, up to {@code max} at a time; empty at the end. A batch may decode its
   * lines when they are read, on the thread that reads them; each line is read once.
   */
  @FunctionalInterface
  public interface LineSource {
    List<String> next(int max) throws IOException;
  }

  /** Receives each line with its number (from 1) and result; null result for skipped lines. */
  @FunctionalInterface
  public interface ResultSink {
    void accept(long number, String line, LineResult result) throws IOException;
  }

  private final Filter filter;
  private final FilterSession session;
  private final int threads;
  private final ExecutorService workers;
  private final ThreadLocal<DateSession> dates;
  private final ThreadLocal<long[]> scratch;

  public ParallelFilterRun(Filter filter, FilterSession session, int threads) {
    this.filter = filter;
    this.session = session;
    this.threads = filter.maxlines() > 1 ? 1 : Math.max(1, threads);
    AtomicInteger count = new AtomicInteger();
    this.workers = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads, task -> {
      Thread thread = new Thread(task, "match-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.dates = ThreadLocal.withInitial(() -> filter.dates().session());
    this.scratch = ThreadLocal.withInitial(
        () -> filter.scanner() == null ? null : filter.scanner().newFoundSet());
  }

  /** Processes every line of {@code source}; lines for which {@code skip} holds are not matched. */
  public void run(LineSource source, Predicate<String> skip, ResultSink sink) throws IOException {
    if (workers == null) {
      long number = 0;
      for (List<String> lines; !(lines = source.next(BATCH)).isEmpty(); ) {
        for (String line : lines) {
          number++;
          sink.accept(number, line, skip.test(line) ? null : session.process(line));
        }
      }
      return;
    }
    Deque<Future<Batch>> pending = new ArrayDeque<>();
    long number = 0;
    boolean more = true;
    while (more || !pending.isEmpty()) {
      while (more && pending.size() < threads * 2) {
        List<String> lines = source.next(BATCH);
        more = !lines.isEmpty();
        if (more) {
          Batch batch = new Batch(number, lines);
          number += lines.size();
          pending.add(workers.submit(() -> batch.prematch(skip)));
        }
      }
      if (!pending.isEmpty()) {
        Batch batch = await(pending.removeFirst());
        for (int i = 0; i < batch.lines.length; i++) {
          Prematch prematch = batch.prematches[i];
          sink.accept(batch.first + i + 1, batch.lines[i],
              prematch == null ? null : session.finish(prematch));
        }
      }
    }
  }

  private static Batch await(Future<Batch> future) throws IOException {
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

  private final class Batch {
    final long first;
    final List<String> source;
    final String[] lines;
    final Prematch[] prematches;

    Batch(long first, List<String> source) {
      this.first = first;
      this.source = source;
      this.lines = new String[source.size()];
      this.prematches = new Prematch[source.size()];
    }

    Batch prematch(Predicate<String> skip) {
      DateSession dateSession = dates.get();
      long[] found = scratch.get();
      boolean checkAll = session.checksAll();
      for (int i = 0; i < lines.length; i++) {
        String line = source.get(i);
        lines[i] = line;
        if (!skip.test(line)) {
          prematches[i] = session.withTime(
              filter.prematch(line, dateSession, found, checkAll), dateSession);
        }
      }
      return this;
    }
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
