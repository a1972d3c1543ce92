package dev.vouch.jail;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the engine's batches on its own thread ({@code store-writer}), so the engine never
 * waits on the disk. Batches queued while a commit runs are folded into one; a failed commit
 * (disk full, read-only) is logged, kept and retried, with later batches folded in, so nothing
 * is lost and the order of states is kept. Callbacks of a batch run once it is durable.
 */
final class StoreWriter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.store");
  private static final long RETRY_MILLIS = 2000;

  private final EngineStore store;
  private final Thread thread;
  private final Object lock = new Object();
  private StateChanges pending = new StateChanges();
  private List<Runnable> pendingCallbacks = new ArrayList<>();
  private boolean closing;
  private boolean failing;
  private long committed;

  StoreWriter(EngineStore store) {
    this.store = store;
    this.thread = new Thread(this::run, "store-writer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Queues a batch; {@code onDurable} runs (on this writer's thread) once it is on disk. */
  void write(StateChanges changes, List<Runnable> onDurable) {
    if (changes.isEmpty() && onDurable.isEmpty()) {
      return;
    }
    synchronized (lock) {
      pending.absorb(changes);
      pendingCallbacks.addAll(onDurable);
      lock.notifyAll();
    }
  }

  /** True while the last commit failed (the disk is full or read-only). */
  boolean failing() {
    synchronized (lock) {
      return failing;
    }
  }

  /** Batches committed so far. */
  long committed() {
    synchronized (lock) {
      return committed;
    }
  }

  private void run() {
    while (true) {
      StateChanges batch;
      List<Runnable> callbacks;
      synchronized (lock) {
        while (pending.isEmpty() && pendingCallbacks.isEmpty() && !closing) {
          waitQuietly(0);
        }
        if (pending.isEmpty() && pendingCallbacks.isEmpty() && closing) {
          return;
        }
        batch = pending;
        callbacks = pendingCallbacks;
        pending = new StateChanges();
        pendingCallbacks = new ArrayList<>();
      }
      if (!commit(batch)) {
        synchronized (lock) {
          batch.absorb(pending);
          pending = batch;
          callbacks.addAll(pendingCallbacks);
          pendingCallbacks = callbacks;
          if (closing) {
            LOG.log(Level.ERROR, "stopping with {0} changes not written: the database still"
                + " refuses writes", batch.size());
            return;
          }
          waitQuietly(RETRY_MILLIS);
        }
        continue;
      }
      callbacks.forEach(StoreWriter::runQuietly);
    }
  }

  private boolean commit(StateChanges batch) {
    try {
      store.commit(batch);
      synchronized (lock) {
        committed++;
        if (failing) {
          failing = false;
          LOG.log(Level.WARNING, "the database accepts writes again; pending changes written");
        }
      }
      return true;
    } catch (RuntimeException e) {
      synchronized (lock) {
        if (!failing) {
          LOG.log(Level.ERROR, e.getMessage() + " Keeping " + batch.size()
              + " changes in memory and retrying; vouch keeps watching meanwhile.");
        }
        failing = true;
      }
      return false;
    }
  }

  private static void runQuietly(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "a callback after a commit failed", e);
    }
  }

  private void waitQuietly(long millis) {
    try {
      lock.wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing = true;
    }
  }

  /** Writes what is queued (retrying for a while if the disk refuses), then stops. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
