package dev.vouch.daemon;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.jail.Engine;
import dev.vouch.jail.EngineView;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the allowances of host names in step with the addresses the names have, for admins on
 * dynamic DNS: every {@code dnsrefresh} (vouch.conf, default 5 minutes) it resolves each name
 * that {@code allow add} allowed and each {@code ignoreip} name of a jail, allows the addresses
 * that are new and drops the ones the name no longer has, each recorded as an event. The JDK's
 * resolver does not tell a record's TTL, so the schedule is {@code dnsrefresh} whatever the TTL.
 *
 * <p>A name that does not resolve at all keeps the addresses it had: a DNS outage must not lock
 * an admin out. Allowances with a {@code --ttl} still end then.
 *
 * <p>Lookups run on its own thread ({@code dns-refresh}), never on the engine's; the changes are
 * made on the engine thread against the allowlist as it is then, so a name removed by hand
 * meanwhile stays removed. Thread-safe; close it to stop.
 */
final class HostNameRefresh implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.dns");

  private final Engine engine;
  private final List<ConfigAllowances.HostName> configNames;
  private final Resolver resolver;
  private final Duration every;
  private final ScheduledExecutorService timer;

  HostNameRefresh(Engine engine, List<ConfigAllowances.HostName> configNames, Resolver resolver,
      Duration every) {
    this.engine = engine;
    this.configNames = List.copyOf(configNames);
    this.resolver = resolver;
    this.every = every;
    this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "dns-refresh");
      thread.setDaemon(true);
      return thread;
    });
  }

  void start() {
    timer.scheduleWithFixedDelay(this::refreshQuietly, every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (IllegalStateException stopping) {
      // The engine is stopping: this round has nothing left to do.
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "refreshing host names failed; next try in " + every.toSeconds()
          + "s", e);
    }
  }

  /** One round: every name resolved now, and its allowances made to follow. */
  void refresh() {
    for (ConfigAllowances.HostName name : configNames) {
      Optional<List<Cidr>> networks = lookup(name.name());
      if (networks.isPresent()) {
        call(view -> view.followConfigName(name.jail(), name.origin(), name.name(),
            networks.get()));
      }
    }
    for (String name : call(HostNameRefresh::allowedNames)) {
      Optional<List<Cidr>> networks = lookup(name);
      if (networks.isPresent()) {
        call(view -> follow(view, name, networks.get()));
      }
    }
  }

  private Optional<List<Cidr>> lookup(String name) {
    List<IpAddress> addresses = resolver.resolve(name);
    if (addresses.isEmpty()) {
      LOG.log(Level.WARNING, "{0} does not resolve now; the addresses it had stay allowed until"
          + " it resolves again (or their allowance ends)", name);
      return Optional.empty();
    }
    return Optional.of(addresses.stream().map(Cidr::of).toList());
  }

  /** The host names that {@code allow add} allowed, as they are on record. */
  private static List<String> allowedNames(EngineView view) {
    Set<String> names = new LinkedHashSet<>();
    for (Allowance allowance : view.allowances()) {
      if (allowance.source() == AllowSource.DNS) {
        names.add(allowance.key().origin());
      }
    }
    return List.copyOf(names);
  }

  /**
   * Gives the allowances of {@code name}, in each jail they cover, exactly {@code networks}:
   * the new ones with the expiry and note the name's allowances have.
   */
  static boolean follow(EngineView view, String name, List<Cidr> networks) {
    Map<String, List<Allowance>> byScope = new LinkedHashMap<>();
    for (Allowance allowance : view.allowances()) {
      if (allowance.source() == AllowSource.DNS && allowance.key().origin().equals(name)) {
        byScope.computeIfAbsent(allowance.scope(), scope -> new ArrayList<>()).add(allowance);
      }
    }
    boolean changed = false;
    for (Map.Entry<String, List<Allowance>> scope : byScope.entrySet()) {
      List<Allowance> current = scope.getValue();
      List<Cidr> added = new ArrayList<>(networks);
      current.forEach(allowance -> added.remove(allowance.network()));
      if (!added.isEmpty()) {
        Allowance model = current.get(0);
        view.allow(added, List.of(scope.getKey()), latestEnd(current), AllowSource.DNS, name,
            model.evidence());
        changed = true;
      }
      for (Allowance allowance : current) {
        if (!networks.contains(allowance.network())) {
          view.revoke(allowance.key(), name + " no longer resolves to it");
          changed = true;
        }
      }
    }
    return changed;
  }

  /** When the allowances of a name end: the latest end, or never if one never ends. */
  private static Optional<Instant> latestEnd(List<Allowance> allowances) {
    Optional<Instant> latest = Optional.empty();
    for (Allowance allowance : allowances) {
      if (allowance.expires().isEmpty()) {
        return Optional.empty();
      }
      if (latest.isEmpty() || allowance.expires().get().isAfter(latest.get())) {
        latest = allowance.expires();
      }
    }
    return latest;
  }

  private <T> T call(java.util.function.Function<EngineView, T> work) {
    try {
      return engine.call(work).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
