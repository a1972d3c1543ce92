package dev.vouch.action;

import dev.vouch.net.Cidr;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a jail's actions on the jail's own thread ({@code action-JAIL}), one command at a time, in
 * the order they were asked for, so the engine never waits on a process.
 *
 * <p>Stop guard: once {@link #close} begins, no new ban or unban starts and queued ones are
 * dropped; the running command finishes or hits its timeout; then every action flushes (or lifts
 * its bans one by one) and stops, in reverse order, as fail2ban does. If that takes longer than
 * the limit given, the worker is interrupted, which kills its running command: stop never hangs.
 * Thread-safe.
 */
public final class ActionWorker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.action");

  /** Which verbs the built-in log action writes: a ban jail bans, an allow jail allows. */
  public enum Kind { BAN, ALLOW }

  private final String jail;
  private final List<Action> actions;
  private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  /** Bans the actions carry, for lifting them one by one when a flush is not possible. */
  private final Map<Cidr, ActionTicket> active = Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile boolean stopping;
  private volatile boolean finished;

  /**
   * @param logActions built-in {@code log} actions, by file path
   */
  public ActionWorker(String jail, Kind kind, List<ActionSpec> specs, List<Path> logActions,
      ZoneId zone) {
    this.jail = jail;
    List<Action> built = new ArrayList<>();
    CommandRunner runner = new CommandRunner();
    for (ActionSpec spec : specs) {
      built.add(new CommandAction(spec, jail, runner));
    }
    for (Path path : logActions) {
      built.add(kind == Kind.BAN ? new LogAction(jail, path, "Ban", "Unban", zone)
          : new LogAction(jail, path, "Allow", "Disallow", zone));
    }
    this.actions = List.copyOf(built);
    this.thread = new Thread(this::run, "action-" + jail);
    this.thread.setDaemon(true);
  }

  /** Starts the thread and the actions that start with the jail. */
  public void start() {
    thread.start();
    queue.add(() -> actions.forEach(action -> runQuietly(action, "start", action::start)));
  }

  public void ban(ActionTicket ticket) {
    if (stopping) {
      LOG.log(Level.DEBUG, "[{0}] stopping: not banning {1}", jail, ticket.network());
      return;
    }
    queue.add(() -> {
      if (stopping) {
        return;
      }
      active.put(ticket.network(), ticket);
      for (Action action : actions) {
        if (ticket.restored() && action instanceof CommandAction command
            && command.skipsRestored()) {
          continue;
        }
        runQuietly(action, "ban", () -> action.ban(ticket));
      }
    });
  }

  public void unban(ActionTicket ticket) {
    if (stopping) {
      return;
    }
    queue.add(() -> {
      if (stopping) {
        return;
      }
      active.remove(ticket.network());
      for (Action action : actions) {
        runQuietly(action, "unban", () -> action.unban(ticket));
      }
    });
  }

  /** True when everything queued so far has run (for tests and replays). */
  public boolean idle() {
    return queue.isEmpty();
  }

  /** Waits until what is queued has run, at most {@code limit}. */
  public void drain(Duration limit) throws InterruptedException {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    queue.add(done::countDown);
    done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    try {
      while (!stopping || !queue.isEmpty()) {
        Runnable task = queue.poll(200, TimeUnit.MILLISECONDS);
        if (task != null) {
          task.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finished = true;
    }
  }

  private void runQuietly(Action action, String operation, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "[" + jail + "] " + action.name() + ": " + operation + " failed", e);
    }
  }

  /**
   * Stops: drops queued bans and unbans, lets the running command end, then flushes and stops
   * every action in reverse order, within {@code limit}.
   */
  public void stop(Duration limit) {
    stopping = true;
    queue.clear();
    // Lifted now: like every unban ticket of vouch's, it carries the time of the unban.
    double now = System.currentTimeMillis() / 1000.0;
    List<ActionTicket> lifted = new ArrayList<>();
    for (ActionTicket ticket : active.values()) {
      lifted.add(ticket.at(now));
    }
    queue.add(() -> {
      List<Action> reversed = new ArrayList<>(actions);
      Collections.reverse(reversed);
      for (Action action : reversed) {
        boolean flushed;
        try {
          flushed = action.flush();
        } catch (RuntimeException e) {
          flushed = false;
        }
        if (!flushed) {
          lifted.forEach(ticket -> runQuietly(action, "unban", () -> action.unban(ticket)));
        }
        runQuietly(action, "stop", action::stop);
      }
    });
    if (!thread.isAlive()) {
      return;
    }
    try {
      thread.join(limit.toMillis());
      if (!finished) {
        LOG.log(Level.WARNING, "[{0}] actions did not stop within {1}s; interrupting them", jail,
            limit.toSeconds());
        thread.interrupt();
        thread.join(5000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
