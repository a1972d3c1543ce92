package dev.vouch.jail;

import dev.vouch.VouchException;
import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.AllowanceKey;
import dev.vouch.allowlist.Evidence;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a command may see and change, on the engine thread, at one moment: the allowlist, the
 * bans and the figures of each jail. Valid only inside {@link Engine#call}.
 */
public final class EngineView {
  private final Jails jails;
  private final Instant now;

  EngineView(Jails jails, Instant now) {
    this.jails = jails;
    this.now = now;
  }

  public Instant now() {
    return now;
  }

  /** Every jail name, ban jails first, in configuration order. */
  public Set<String> jailNames() {
    Set<String> names = new LinkedHashSet<>(jails.banJails().keySet());
    names.addAll(jails.allowJails().keySet());
    return names;
  }

  /**
   * The jails an allowance may be scoped to: vouch's, and those an allowfor names (fail2ban's,
   * whose ignore lists vouch keeps in companion mode).
   */
  private Set<String> scopeNames() {
    Set<String> names = jailNames();
    jails.allowJails().values().forEach(jail -> jail.settings.allowFor().stream()
        .filter(name -> !AllowanceKey.ALL_JAILS.equals(name)).forEach(names::add));
    return names;
  }

  public boolean isBanJail(String name) {
    return jails.banJails().containsKey(name);
  }

  /**
   * Checks that {@code name} is a jail ({@code *} is every jail): one of vouch's, or one an
   * allowfor names (a fail2ban jail, in companion mode).
   */
  public void requireJail(String name) {
    Set<String> scopes = scopeNames();
    if (!AllowanceKey.ALL_JAILS.equals(name) && !scopes.contains(name)) {
      throw new UnknownJailException(name, scopes);
    }
  }

  /**
   * The width a login seen by {@code jail} is granted: that allow jail's allowprefix when vouch
   * has one of that name, else the default ({@code 32 64}).
   */
  public dev.vouch.allowlist.AllowPrefix loginPrefix(String jail) {
    AllowJail allowJail = jails.allowJails().get(jail);
    return allowJail != null ? allowJail.settings.prefix()
        : dev.vouch.allowlist.AllowPrefix.DEFAULT;
  }

  /** Allows {@code networks} for {@code scopes}; lifts bans they cover. */
  public List<Allowance> allow(List<Cidr> networks, List<String> scopes, Optional<Instant> until,
      AllowSource source, String origin, Evidence evidence) {
    return jails.allow(networks, scopes, until, source, origin, evidence, now);
  }

  public List<Allowance> revoke(Cidr network, Optional<String> scope, String why) {
    return jails.revoke(network, scope, now, why);
  }

  /** Removes exactly the allowance {@code key}, if it is there (never a configuration entry). */
  public Optional<Allowance> revoke(AllowanceKey key, String why) {
    return jails.revoke(key, now, why);
  }

  /**
   * Sets the allowances that the {@code ignoreip} host name {@code name} of jail {@code scope}
   * gives (recorded under {@code origin}) to {@code networks}, the addresses it resolves to now.
   * True when anything changed.
   */
  public boolean followConfigName(String scope, String origin, String name,
      java.util.Collection<Cidr> networks) {
    return jails.followConfig(scope, origin, networks, name, now);
  }

  /** The allowance in force that covers {@code address} for {@code jail} (or for any jail). */
  public Optional<Allowance> check(IpAddress address, Optional<String> jail) {
    if (jail.isPresent()) {
      return jails.allowlist().find(address, jail.get(), now);
    }
    return jails.allowlist().covering(address).stream().filter(a -> a.liveAt(now))
        .min(Comparator.comparing((Allowance a) -> -a.network().prefix()));
  }

  /** Every allowance, live ones first by network. */
  public List<Allowance> allowances() {
    List<Allowance> all = jails.allowlist().all();
    all.sort(Comparator.comparing(Allowance::network).thenComparing(Allowance::scope)
        .thenComparing(a -> a.source().ordinal()));
    return all;
  }

  /** Bans by hand; refuses an address the jail must not ban because it is allowed. */
  public Ban ban(Cidr network, String jail, Optional<Optional<Duration>> time, String reason) {
    BanJail banJail = jails.banJails().get(jail);
    if (banJail == null) {
      if (jails.allowJails().containsKey(jail)) {
        throw new VouchException(jail + " is an allow jail; it grants, it does not ban."
            + " Name a failure jail with --jail.");
      }
      throw new UnknownJailException(jail, jailNames());
    }
    Optional<Allowance> allowed = jails.allowlist().find(network.address(), jail, now);
    if (allowed.isPresent()) {
      throw new VouchException(network + " is allowed for " + jail + " by "
          + Jails.describe(allowed.get()) + "; remove that allowance first (vouch allow remove "
          + allowed.get().network() + ").");
    }
    Ban current = banJail.bans.get(network);
    if (current != null && current.liveAt(now)) {
      return current;
    }
    return jails.ban(banJail, network, now, Optional.empty(), reason, time);
  }

  /** Lifts bans of {@code network} in one jail or all; returns what was lifted. */
  public List<Ban> unban(Cidr network, Optional<String> jail, String why) {
    jail.ifPresent(name -> {
      if (!jails.banJails().containsKey(name)) {
        throw new UnknownJailException(name, jails.banJails().keySet());
      }
    });
    List<Ban> lifted = new ArrayList<>();
    for (BanJail banJail : jails.banJails().values()) {
      if (jail.isPresent() && !jail.get().equals(banJail.name())) {
        continue;
      }
      for (Ban ban : banJail.bansOverlapping(network)) {
        if (network.contains(ban.network())) {
          jails.lift(banJail, ban, now, why);
          lifted.add(ban);
        }
      }
    }
    return lifted;
  }

  /** The bans in force, by jail then network. */
  public List<Ban> bans() {
    List<Ban> bans = new ArrayList<>();
    jails.banJails().values().forEach(jail -> bans.addAll(jail.bans.values()));
    bans.sort(Comparator.comparing(Ban::jail).thenComparing(Ban::network));
    return bans;
  }

  public List<JailStatus> status() {
    List<JailStatus> all = new ArrayList<>();
    jailNames().forEach(name -> all.add(status(name)));
    return all;
  }

  public JailStatus status(String name) {
    BanJail banJail = jails.banJails().get(name);
    if (banJail != null) {
      List<Ban> banned = new ArrayList<>(banJail.bans.values());
      banned.sort(Comparator.comparing(Ban::network));
      return new JailStatus.BanJailStatus(name, banJail.failures.size(), banJail.totalFailed,
          banned, banJail.totalBanned, banJail.spared);
    }
    AllowJail allowJail = jails.allowJails().get(name);
    if (allowJail == null) {
      throw new UnknownJailException(name, jailNames());
    }
    List<Allowance> allowed = jails.allowlist().all().stream()
        .filter(a -> a.source() == AllowSource.LOGIN && a.key().origin().equals(name))
        .filter(a -> a.liveAt(now))
        .sorted(Comparator.comparing(Allowance::network).thenComparing(Allowance::scope))
        .toList();
    return new JailStatus.AllowJailStatus(name, allowJail.settings.allowFor(), allowed,
        allowJail.totalGranted);
  }
}
