package dev.vouch.fail2ban;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.AllowanceKey;
import dev.vouch.audit.Event;
import dev.vouch.audit.EventKind;
import dev.vouch.net.Cidr;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps fail2ban's ignore lists equal to the allowlist. Desired: for each fail2ban jail, the
 * allowances in force for it (or for every jail). Actual: {@code get JAIL ignoreip}. It adds what
 * is missing and removes only what it added itself (recorded in the database), never an entry of
 * fail2ban's own configuration or one an admin added by hand; with {@code unbanonallow} it lifts
 * fail2ban's bans of addresses that became allowed.
 *
 * <p>It runs on its own thread ({@code fail2ban-sync}): at start, shortly after every change of
 * the allowlist, every {@code syncinterval}, and as soon as fail2ban answers again after being
 * down or restarted (a new socket file). Every call to fail2ban has a timeout, so nothing waits
 * on a stuck fail2ban for long; the engine never waits on it at all. Thread-safe.
 */
public final class Reconciler implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.fail2ban");
  private static final Duration DEBOUNCE = Duration.ofMillis(50);
  private static final Duration PROBE = Duration.ofSeconds(1);

  /** What vouch added to fail2ban, kept durably with the events of each push. */
  public interface Ownership {
    /** Fail2ban jail to the entries vouch added there (as fail2ban writes them). */
    Map<String, Set<String>> load();

    /** Records entries added and removed in one fail2ban jail, with their events. */
    void record(String jail, Collection<String> added, Collection<String> removed,
        List<Event> events);
  }

  /** What one sync did in one fail2ban jail. */
  public record JailReport(String jail, List<String> added, List<String> removed,
      List<String> unbanned) {}

  private final Fail2banSettings settings;
  private final Supplier<List<Allowance>> allowlist;
  private final Ownership ownership;
  private final boolean unbanOnAllow;
  private final Duration interval;
  private final Clock clock;
  private final Object lock = new Object();
  private final Thread thread;
  private Map<String, Set<String>> owned;
  private boolean dirty = true;
  private long dirtySince;
  private volatile boolean closed;
  private boolean down;
  private Object socketIdentity;

  public Reconciler(Fail2banSettings settings, Supplier<List<Allowance>> allowlist,
      Ownership ownership, boolean unbanOnAllow, Duration interval, Clock clock) {
    this.settings = settings;
    this.allowlist = allowlist;
    this.ownership = ownership;
    this.unbanOnAllow = unbanOnAllow;
    this.interval = interval;
    this.clock = clock;
    this.thread = new Thread(this::run, "fail2ban-sync");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** The allowlist changed: sync within moments. Returns at once. */
  public void changed() {
    synchronized (lock) {
      if (!dirty) {
        dirty = true;
        dirtySince = System.nanoTime();
      }
      lock.notifyAll();
    }
  }

  private void run() {
    long nextSync = 0;
    while (!closed) {
      boolean sync;
      synchronized (lock) {
        long now = System.nanoTime();
        long wait = Math.min(PROBE.toMillis(), Math.max(0, (nextSync - now) / 1_000_000));
        if (dirty && !down) {
          long due = dirtySince + DEBOUNCE.toNanos();
          wait = Math.min(wait, Math.max(0, (due - now) / 1_000_000));
        }
        if (wait > 0) {
          try {
            lock.wait(wait);
          } catch (InterruptedException e) {
            return;
          }
        }
        now = System.nanoTime();
        sync = now >= nextSync || (dirty && now - dirtySince >= DEBOUNCE.toNanos());
        if (sync) {
          dirty = false;
        }
      }
      if (closed) {
        return;
      }
      Object identity = socketIdentity();
      boolean restarted = identity != null && socketIdentity != null
          && !identity.equals(socketIdentity);
      if (sync || restarted || down) {
        try {
          syncNow();
          nextSync = System.nanoTime() + interval.toNanos();
        } catch (Fail2banException e) {
          synchronized (lock) {
            dirty = true;
          }
          nextSync = System.nanoTime() + PROBE.toNanos();
        } catch (RuntimeException e) {
          // Whatever went wrong, the thread goes on: the next sync may well succeed.
          LOG.log(Level.ERROR, "fail2ban sync failed; retrying in a second", e);
          synchronized (lock) {
            dirty = true;
          }
          nextSync = System.nanoTime() + PROBE.toNanos();
        }
      }
    }
  }

  /** The socket file's identity, to notice a restart (a new socket) between syncs. */
  private Object socketIdentity() {
    try {
      return Files.readAttributes(settings.socket(), BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Syncs every fail2ban jail now.
   *
   * @throws Fail2banException when fail2ban cannot be reached (it is retried later)
   */
  public List<JailReport> syncNow() {
    synchronized (thread) { // one sync at a time, whoever asks
      try (Fail2banClient client = new Fail2banClient(settings.withReuseConnection(true))) {
        List<String> jails = client.jails();
        if (down) {
          LOG.log(Level.INFO, "fail2ban answers again on {0}; syncing its ignore lists",
              settings.socket());
          down = false;
        }
        socketIdentity = socketIdentity();
        if (owned == null) {
          owned = new HashMap<>();
          ownership.load().forEach((jail, entries) -> owned.put(jail, new HashSet<>(entries)));
        }
        Map<String, Map<String, Cidr>> desired = desired(jails);
        List<JailReport> reports = new ArrayList<>();
        for (String jail : jails) {
          try {
            reports.add(sync(client, jail, desired.getOrDefault(jail, Map.of())));
          } catch (UnknownJailException e) {
            // The jail went away between the list and the sync (a reload); next time.
          }
        }
        return reports;
      } catch (Fail2banUnreachableException | Fail2banTimeoutException e) {
        if (!down) {
          LOG.log(Level.WARNING, e.getMessage() + " vouch keeps its allowlist and pushes it"
              + " when fail2ban answers again.");
          down = true;
        }
        throw e;
      }
    }
  }

  /** For each fail2ban jail, the networks that must be in its ignore list, by fail2ban text. */
  private Map<String, Map<String, Cidr>> desired(List<String> jails) {
    Instant now = clock.instant();
    Set<String> known = new HashSet<>(jails);
    Map<String, Map<String, Cidr>> desired = new LinkedHashMap<>();
    for (Allowance allowance : allowlist.get()) {
      if (!allowance.liveAt(now) || allowance.source() == AllowSource.CONFIG
          || allowance.network().prefix() == 0) {
        continue;
      }
      String text = IpEntry.of(allowance.network()).text();
      if (allowance.scope().equals(AllowanceKey.ALL_JAILS)) {
        for (String jail : jails) {
          desired.computeIfAbsent(jail, key -> new LinkedHashMap<>()).put(text,
              allowance.network());
        }
      } else if (known.contains(allowance.scope())) {
        desired.computeIfAbsent(allowance.scope(), key -> new LinkedHashMap<>()).put(text,
            allowance.network());
      }
    }
    return desired;
  }

  private JailReport sync(Fail2banClient client, String jail, Map<String, Cidr> desired) {
    Set<String> actual = new HashSet<>();
    client.ignoreIp(jail).forEach(entry -> actual.add(entry.text()));
    Set<String> mine = owned.computeIfAbsent(jail, key -> new HashSet<>());
    List<String> add = new ArrayList<>();
    for (String entry : desired.keySet()) {
      if (!actual.contains(entry)) {
        add.add(entry);
      }
    }
    List<String> remove = new ArrayList<>();
    List<String> forget = new ArrayList<>();
    for (String entry : mine) {
      if (desired.containsKey(entry)) {
        continue;
      }
      if (actual.contains(entry)) {
        remove.add(entry);
      } else {
        forget.add(entry); // fail2ban lost it already (restart, reload)
      }
    }
    Instant now = clock.instant();
    List<Event> events = new ArrayList<>();
    if (!add.isEmpty()) {
      client.addIgnoreIp(jail, add.stream().map(IpEntry::parse).toList());
      mine.addAll(add);
      for (String entry : add) {
        events.add(event(now, EventKind.FAIL2BAN_ADD, entry, jail, "added to fail2ban's"
            + " ignoreip"));
      }
      LOG.log(Level.INFO, "[{0}] fail2ban: ignoreip += {1}", jail, add.size() <= 5
          ? String.join(" ", add) : add.size() + " entries");
    }
    if (!remove.isEmpty()) {
      client.delIgnoreIp(jail, remove.stream().map(IpEntry::parse).toList());
      mine.removeAll(remove);
      for (String entry : remove) {
        events.add(event(now, EventKind.FAIL2BAN_REMOVE, entry, jail, "removed from fail2ban's"
            + " ignoreip (no longer allowed)"));
      }
      LOG.log(Level.INFO, "[{0}] fail2ban: ignoreip -= {1}", jail, remove.size() <= 5
          ? String.join(" ", remove) : remove.size() + " entries");
    }
    mine.removeAll(forget);
    List<String> unbanned = unbanOnAllow && !add.isEmpty()
        ? unbanAllowed(client, jail, desired, now, events) : List.of();
    if (!add.isEmpty() || !remove.isEmpty() || !forget.isEmpty() || !events.isEmpty()) {
      List<String> removedOrForgotten = new ArrayList<>(remove);
      removedOrForgotten.addAll(forget);
      ownership.record(jail, add, removedOrForgotten, events);
    }
    return new JailReport(jail, add, remove, unbanned);
  }

  /** fail2ban bans of addresses the allowlist now covers: lifted there too. */
  private List<String> unbanAllowed(Fail2banClient client, String jail,
      Map<String, Cidr> desired, Instant now, List<Event> events) {
    List<IpEntry> lift = new ArrayList<>();
    for (IpEntry banned : client.banned(jail)) {
      Optional<Cidr> network = banned instanceof IpEntry.Address address
          ? Optional.of(Cidr.of(address.address()))
          : banned instanceof IpEntry.Network net ? Optional.of(net.network()) : Optional.empty();
      if (network.isPresent() && desired.values().stream()
          .anyMatch(allowed -> allowed.contains(network.get()))) {
        lift.add(banned);
      }
    }
    if (lift.isEmpty()) {
      return List.of();
    }
    client.unban(jail, lift);
    List<String> texts = lift.stream().map(IpEntry::text).toList();
    for (String text : texts) {
      events.add(event(now, EventKind.FAIL2BAN_UNBAN, text, jail,
          "unbanned in fail2ban: it is allowed"));
    }
    LOG.log(Level.INFO, "[{0}] fail2ban: unbanned {1} (allowed)", jail, String.join(" ", texts));
    return texts;
  }

  private static Event event(Instant now, EventKind kind, String subject, String jail,
      String detail) {
    return new Event(now, kind, subject, jail, Optional.empty(), Optional.empty(),
        Optional.of(detail), Optional.empty());
  }

  /** Stops the thread; waits at most a few seconds for a sync in flight. */
  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    thread.interrupt();
    try {
      thread.join(settings.readTimeout().plus(Duration.ofSeconds(1)).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
