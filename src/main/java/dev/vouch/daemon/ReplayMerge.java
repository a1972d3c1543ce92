package dev.vouch.daemon;

import dev.vouch.filter.FilterMatch;
import dev.vouch.jail.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A replay of several logs at once, in the order of time: each log's reader hands its matches to
 * a queue of its own, and one thread ({@code replay-merge}) passes them to the engine earliest
 * first. So what a login in one log does to the failures in another does not depend on which
 * reader ran faster. Within one log the order is the log's (a line dated earlier than the one
 * before it keeps its place); between logs, equal times go in the order the logs were listed.
 */
final class ReplayMerge {
  private static final int QUEUE = 8192;

  private record Found(double time, String jail, FilterMatch match, String line) {}

  private static final Found END = new Found(Double.POSITIVE_INFINITY, "", null, "");

  private final Engine engine;
  private final List<Source> sources = new ArrayList<>();
  private final Thread thread = new Thread(this::run, "replay-merge");

  ReplayMerge(Engine engine) {
    this.engine = engine;
    thread.setDaemon(true);
  }

  /** The matches of one log, in its order. Used by that log's reader thread only. */
  final class Source {
    private final BlockingQueue<Found> queue = new ArrayBlockingQueue<>(QUEUE);
    private double last = Double.NEGATIVE_INFINITY;

    /** A match, at the line's time (a line without one takes the time before it). */
    void found(String jail, FilterMatch match, String line) {
      double time = match.time();
      last = Double.isNaN(time) ? last : Math.max(last, time);
      put(new Found(last, jail, match, line));
    }

    /** The log has no more lines. */
    void end() {
      put(END);
    }

    private void put(Found found) {
      try {
        queue.put(found);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while replaying", e);
      }
    }
  }

  /** A source for one more log; all are made before {@link #start()}. */
  Source newSource() {
    Source source = new Source();
    sources.add(source);
    return source;
  }

  void start() {
    thread.start();
  }

  /** Waits until every log has ended and every match was handed to the engine. */
  void join() throws InterruptedException {
    thread.join();
  }

  private void run() {
    Found[] heads = new Found[sources.size()];
    try {
      while (true) {
        int earliest = -1;
        for (int i = 0; i < heads.length; i++) {
          if (heads[i] == null) {
            heads[i] = sources.get(i).queue.take(); // wait for this log's next match, or its end
          }
          if (heads[i] != END && (earliest < 0 || heads[i].time() < heads[earliest].time())) {
            earliest = i;
          }
        }
        if (earliest < 0) {
          return; // every log ended
        }
        Found found = heads[earliest];
        engine.found(found.jail(), found.match(), found.line());
        heads[earliest] = null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
