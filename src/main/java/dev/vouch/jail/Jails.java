package dev.vouch.jail;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.AllowanceKey;
import dev.vouch.allowlist.Allowlist;
import dev.vouch.allowlist.Evidence;
import dev.vouch.allowlist.Grants;
import dev.vouch.audit.Event;
import dev.vouch.audit.EventKind;
import dev.vouch.filter.FilterMatch;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Every decision of the engine, over all jails: a failure is spared, counted or banned; a success
 * grants or renews an allowance; an allowance that covers a ban lifts it; bans and allowances end
 * on time. Each decision is logged fail2ban-style and recorded, with its evidence, in the batch of
 * changes the engine commits. Confined to the engine thread.
 */
final class Jails {
  private static final System.Logger LOG = System.getLogger("vouch.jail");
  /** A renewal is recorded as an event at most this often per allowance; its row always updates. */
  private static final Duration RENEW_EVENT_INTERVAL = Duration.ofHours(1);
  /** fail2ban treats a date this far from now as a clock problem and uses now. */
  private static final double MAX_SKEW_SECONDS = 60;

  private final Map<String, BanJail> banJails = new LinkedHashMap<>();
  private final Map<String, AllowJail> allowJails = new LinkedHashMap<>();
  private final Allowlist allowlist;
  private final List<AllowlistListener> listeners = new ArrayList<>();
  private final DoubleSupplier random;
  private final boolean live;
  private final DateTimeFormatter timeFormat;
  private final Map<AllowanceKey, Instant> lastRenewEvent = new HashMap<>();
  private StateChanges changes = new StateChanges();
  /**
   * Failure windows changed since they were last written: they go to the store less often than
   * the rest (every {@code takeChanges(true)}), so that a busy log costs a write per address
   * now and then, not one per failure. A crash forgets the last of them: failures are then
   * counted anew, never twice.
   */
  private final Map<BanKey, Optional<FailureWindow>> windows = new LinkedHashMap<>();
  private boolean allowlistChanged;

  /**
   * @param live true when lines arrive as they are written (dates far from now are clock
   *     problems); false when replaying old logs, whose dates are the clock
   */
  Jails(Allowlist allowlist, DoubleSupplier random, boolean live, ZoneId zone) {
    this.allowlist = allowlist;
    this.random = random;
    this.live = live;
    this.timeFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
  }

  void addBanJail(BanJailSettings settings, JailActions actions, Instant now) {
    banJails.put(settings.name(), new BanJail(settings, actions, now));
  }

  void addAllowJail(AllowJailSettings settings, JailActions actions, Instant now) {
    allowJails.put(settings.name(), new AllowJail(settings, actions, now));
  }

  void addListener(AllowlistListener listener) {
    listeners.add(listener);
  }

  Allowlist allowlist() {
    return allowlist;
  }

  Map<String, BanJail> banJails() {
    return banJails;
  }

  Map<String, AllowJail> allowJails() {
    return allowJails;
  }

  /** Changes recorded since the last {@link #takeChanges()}. */
  long pendingMutations() {
    return changes.mutations();
  }

  /** The changes since the last call; tells listeners if the allowlist changed. */
  StateChanges takeChanges() {
    return takeChanges(false);
  }

  /** Failure windows changed since they were last written. */
  int pendingWindows() {
    return windows.size();
  }

  /** {@link #takeChanges()}, with the failure windows changed meanwhile when {@code windows}. */
  StateChanges takeChanges(boolean withWindows) {
    if (withWindows) {
      windows.forEach((key, window) -> {
        if (window.isPresent()) {
          changes.putFailures(window.get());
        } else {
          changes.removeFailures(key);
        }
      });
      windows.clear();
    }
    for (BanJail jail : banJails.values()) {
      if (jail.countersChanged) {
        jail.countersChanged = false;
        changes.putCounter(jail.name(), "failed", jail.totalFailed);
        changes.putCounter(jail.name(), "banned", jail.totalBanned);
        changes.putCounter(jail.name(), "spared", jail.spared);
      }
    }
    for (AllowJail jail : allowJails.values()) {
      if (jail.countersChanged) {
        jail.countersChanged = false;
        changes.putCounter(jail.name(), "granted", jail.totalGranted);
        changes.putCounter(jail.name(), "successes", jail.totalSuccesses);
      }
    }
    StateChanges taken = changes;
    changes = new StateChanges();
    if (allowlistChanged) {
      allowlistChanged = false;
      listeners.forEach(AllowlistListener::allowlistChanged);
    }
    return taken;
  }

  /** Records a read position with the batch it covers. */
  void position(dev.vouch.watch.LogPosition position) {
    changes.putPosition(position);
  }

  /** Takes over the state saved by the last run: allowances, bans (re-applied), ban counts. */
  void restore(EngineStore.Snapshot snapshot, Instant now) {
    for (Allowance allowance : snapshot.allowances()) {
      if (allowance.liveAt(now)) {
        allowlist.put(allowance);
      }
      // An allowance that ended while vouch was stopped stays on record, like one that ends
      // while it runs, until "allow prune".
    }
    snapshot.counters().forEach((name, totals) -> {
      BanJail banJail = banJails.get(name);
      if (banJail != null) {
        banJail.totalFailed = totals.getOrDefault("failed", 0L);
        banJail.totalBanned = totals.getOrDefault("banned", 0L);
        banJail.spared = totals.getOrDefault("spared", 0L);
      }
      AllowJail allowJail = allowJails.get(name);
      if (allowJail != null) {
        allowJail.totalGranted = totals.getOrDefault("granted", 0L);
        allowJail.totalSuccesses = totals.getOrDefault("successes", 0L);
      }
    });
    for (BanCount count : snapshot.banCounts()) {
      BanJail jail = banJails.get(count.key().jail());
      if (jail != null) {
        jail.counts.put(count.key().network(), count);
      }
    }
    for (Ban ban : snapshot.bans()) {
      BanJail jail = banJails.get(ban.jail());
      if (jail == null) {
        continue; // the jail is gone from the configuration; its ban stays on record
      }
      Optional<Allowance> allowed = allowlist.find(ban.network().address(), ban.jail(), now);
      if (!ban.liveAt(now) || allowed.isPresent()) {
        changes.removeBan(ban.key());
        record(now, EventKind.UNBAN, ban.network(), ban.jail(), Optional.empty(), Optional.empty(),
            Optional.of(allowed.isPresent() ? "allowed by " + describe(allowed.get())
                : "ended while vouch was stopped"), Optional.empty());
        continue;
      }
      jail.addBan(ban);
      jail.actions.ban(ban, Optional.empty(), true);
      LOG.log(Level.INFO, "[{0}] Restore Ban {1}", ban.jail(), ban.network());
    }
    // Failure windows within findtime count on, so a restart does not reset them (the lines
    // after the saved position are read again; the ones before it are not).
    for (FailureWindow window : snapshot.failures()) {
      BanKey key = window.key();
      BanJail banJail = banJails.get(key.jail());
      AllowJail allowJail = allowJails.get(key.jail());
      Duration findtime = banJail != null ? banJail.settings.findtime()
          : allowJail != null ? allowJail.settings.findtime() : null;
      if (findtime == null || window.last().isBefore(now.minus(findtime))
          || (banJail != null && (banJail.bans.containsKey(key.network())
              || allowlist.find(key.network().address(), key.jail(), now).isPresent()))) {
        forgetWindow(key);
        continue;
      }
      FailureTable table = banJail != null ? banJail.failures : allowJail.successes;
      table.restore(key.network(), seconds(window.first()), seconds(window.last()),
          window.attempts());
    }
  }

  /** A filter of jail {@code jailName} matched a line. */
  void found(String jailName, FilterMatch match, String line, Instant now) {
    AllowJail allowJail = allowJails.get(jailName);
    if (allowJail != null) {
      success(allowJail, match, line, now);
      return;
    }
    BanJail banJail = banJails.get(jailName);
    if (banJail != null) {
      failure(banJail, match, line, now);
    }
  }

  private void success(AllowJail jail, FilterMatch match, String line, Instant now) {
    Optional<IpAddress> address = match.network().map(Cidr::address);
    Optional<Cidr> network = address.flatMap(a -> Grants.fromLog(a, jail.settings.prefix()));
    if (network.isEmpty()) {
      LOG.log(Level.DEBUG, "[{0}] success without a usable address: {1}", jail.name(), line);
      return;
    }
    jail.totalSuccesses++;
    jail.countersChanged = true;
    Instant time = lineTime(match, now);
    if (jail.settings.maxretry() > 1) {
      int successes = jail.successes.add(network.get(), seconds(time),
          seconds(jail.settings.findtime()), 1);
      if (successes < jail.settings.maxretry()) {
        saveWindow(jail.name(), jail.successes, network.get());
        return;
      }
      jail.successes.remove(network.get());
      saveWindow(jail.name(), jail.successes, network.get());
    }
    Optional<Instant> until = jail.settings.allowtime().map(time::plus);
    if (until.isPresent() && !until.get().isAfter(now)) {
      return; // a login so old that its allowance has already ended
    }
    Evidence evidence = Evidence.login(jail.name(), jail.settings.filter(), match.field("user"),
        line);
    List<String> granted = new ArrayList<>();
    for (String scope : jail.settings.allowFor()) {
      AllowanceKey key = new AllowanceKey(network.get(), scope, AllowSource.LOGIN, jail.name());
      if (grant(key, until, evidence, now, Optional.of(line))) {
        granted.add(scope);
      }
    }
    if (!granted.isEmpty()) {
      jail.totalGranted++;
      jail.countersChanged = true;
      jail.actions.ban(new Ban(network.get(), jail.name(), now, until, 1,
          "allowed for " + String.join(" ", granted)), Optional.of(match), false);
      LOG.log(Level.INFO, "[{0}] Allow {1} for {2} {3}", jail.name(), network.get(),
          String.join(" ", granted), until.map(end -> "until " + timeFormat.format(end))
              .orElse("permanently"));
    }
  }

  /**
   * Grants or renews the allowance {@code key}; lifts the bans it covers. True when it is new.
   */
  private boolean grant(AllowanceKey key, Optional<Instant> until, Evidence evidence, Instant now,
      Optional<String> line) {
    Optional<Allowance> existing = allowlist.get(key);
    Allowance allowance;
    boolean isNew = existing.isEmpty();
    if (isNew) {
      allowance = new Allowance(key, evidence, now, now, until, 1);
      record(now, EventKind.GRANT, key.network(), key.scope(), evidence.user(), line,
          Optional.of(origin(key, evidence)), until);
    } else if (key.source() == AllowSource.LOGIN) {
      allowance = existing.get().renew(now, until, evidence);
      Instant last = lastRenewEvent.get(key);
      if (last == null || !last.plus(RENEW_EVENT_INTERVAL).isAfter(now)) {
        lastRenewEvent.put(key, now);
        record(now, EventKind.RENEW, key.network(), key.scope(), evidence.user(), line,
            Optional.of(origin(key, evidence)), allowance.expires());
      }
    } else {
      // By hand, the admin's new expiry is the expiry, earlier or later.
      Allowance old = existing.get();
      allowance = new Allowance(key, evidence, old.created(), now, until, old.hits() + 1);
      record(now, EventKind.GRANT, key.network(), key.scope(), evidence.user(), line,
          Optional.of(origin(key, evidence)), until);
    }
    allowlist.put(allowance);
    changes.putAllowance(allowance);
    allowlistChanged = true;
    liftBansCoveredBy(allowance, now);
    return isNew;
  }

  private void liftBansCoveredBy(Allowance allowance, Instant now) {
    for (BanJail jail : banJails.values()) {
      if (!allowance.covers(jail.name())) {
        continue;
      }
      for (Ban ban : jail.bansOverlapping(allowance.network())) {
        if (allowance.network().contains(ban.network()) || ban.network().isHost()) {
          lift(jail, ban, now, "allowed by " + describe(allowance));
        }
      }
      // Only a window that was there needs its end recorded: an import of 100,000 networks
      // would otherwise write 100,000 deletes of windows that never were.
      if (jail.failures.remove(allowance.network())) {
        saveWindow(jail.name(), jail.failures, allowance.network());
      }
    }
  }

  private void failure(BanJail jail, FilterMatch match, String line, Instant now) {
    Optional<Cidr> found = match.network();
    if (found.isEmpty()) {
      LOG.log(Level.DEBUG, "[{0}] failure without an address ({1}): {2}", jail.name(), match.id(),
          line);
      return;
    }
    Cidr network = found.get();
    Optional<Allowance> allowed = allowlist.find(network.address(), jail.name(), now);
    if (allowed.isPresent()) {
      jail.spared++;
      jail.countersChanged = true;
      record(now, EventKind.SPARED, network, jail.name(), match.field("user"), Optional.of(line),
          Optional.of("allowed by " + describe(allowed.get())), Optional.empty());
      LOG.log(Level.INFO, "[{0}] Spared {1}: allowed by {2}", jail.name(), network,
          describe(allowed.get()));
      return;
    }
    Ban current = jail.bans.get(network);
    if (current != null && current.liveAt(now)) {
      // fail2ban counts it in "Total failed" (its filter does not know of bans); the ban stays.
      jail.alreadyBanned++;
      jail.totalFailed++;
      jail.countersChanged = true;
      return;
    }
    Instant time = lineTime(match, now);
    BanCount count = previousBans(jail, network);
    int weight = 1;
    if (count != null && time.isAfter(count.lastBan())) {
      weight = jail.settings.increment().boostedRetry(count.count(), jail.settings.maxretry());
    }
    int attempts = jail.failures.add(network, seconds(time), seconds(jail.settings.findtime()),
        weight);
    jail.totalFailed++;
    jail.countersChanged = true;
    saveWindow(jail.name(), jail.failures, network);
    LOG.log(Level.DEBUG, "[{0}] Found {1} - {2}", jail.name(), network, timeFormat.format(time));
    if (attempts >= jail.settings.maxretry()) {
      ban(jail, network, now, Optional.of(match), attempts + " failures within "
          + jail.settings.findtime().toSeconds() + "s, the last by failregex " + match.regex()
          + ": " + line, Optional.empty());
    }
  }

  /** The ban count on record for {@code network} in {@code jail} (or all jails, overall). */
  private BanCount previousBans(BanJail jail, Cidr network) {
    if (!jail.settings.increment().overallJails()) {
      return jail.counts.get(network);
    }
    BanCount total = null;
    for (BanJail other : banJails.values()) {
      BanCount count = other.counts.get(network);
      if (count != null) {
        total = total == null ? count : new BanCount(total.key(), total.count() + count.count(),
            count.lastBan().isAfter(total.lastBan()) ? count.lastBan() : total.lastBan(),
            total.lastBantime().plus(count.lastBantime()));
      }
    }
    return total;
  }

  /** Bans {@code network}; {@code fixedTime} overrides the jail's ban time (manual bans). */
  Ban ban(BanJail jail, Cidr network, Instant now, Optional<FilterMatch> match, String reason,
      Optional<Optional<Duration>> fixedTime) {
    jail.failures.remove(network);
    saveWindow(jail.name(), jail.failures, network);
    BanCount previous = previousBans(jail, network);
    int previousBans = previous == null ? 0 : previous.count();
    Optional<Duration> bantime = fixedTime.orElseGet(() -> jail.settings.bantime()
        .map(base -> jail.settings.increment().banTime(base, previousBans, random)));
    Ban ban = new Ban(network, jail.name(), now, bantime.map(now::plus), previousBans + 1, reason);
    jail.addBan(ban);
    jail.totalBanned++;
    jail.countersChanged = true;
    BanCount count = new BanCount(ban.key(), previousBans + 1, now,
        bantime.orElse(Duration.ofSeconds(-1)));
    jail.counts.put(network, count);
    changes.putBan(ban);
    changes.putBanCount(count);
    record(now, EventKind.BAN, network, jail.name(), match.flatMap(m -> m.field("user")),
        Optional.empty(), Optional.of(reason), ban.until());
    jail.actions.ban(ban, match, false);
    LOG.log(Level.INFO, "[{0}] Ban {1}{2}", jail.name(), network,
        previousBans > 0 ? " (ban " + (previousBans + 1) + ", " + bantime.map(Jails::duration)
            .orElse("permanent") + ")" : "");
    return ban;
  }

  /** Lifts a ban now: actions, record, log. */
  void lift(BanJail jail, Ban ban, Instant now, String why) {
    jail.removeBan(ban.network());
    changes.removeBan(ban.key());
    record(now, EventKind.UNBAN, ban.network(), jail.name(), Optional.empty(), Optional.empty(),
        Optional.of(why), Optional.empty());
    jail.actions.unban(ban, now);
    LOG.log(Level.INFO, "[{0}] Unban {1}{2}", jail.name(), ban.network(),
        why.startsWith("ban time") ? "" : " (" + why + ")");
  }

  /** Ends what has ended by {@code now}: bans, allowances, stale failure windows. */
  void tick(Instant now) {
    for (BanJail jail : banJails.values()) {
      for (Ban ban : jail.expire(now)) {
        jail.put(ban); // lift() removes it again, with the record
        lift(jail, ban, now, "ban time over");
      }
    }
    for (Allowance allowance : allowlist.expire(now)) {
      lastRenewEvent.remove(allowance.key());
      if (allowance.source() == AllowSource.CONFIG) {
        continue;
      }
      // The row stays (allow list --expired shows it) until allow prune; the index drops it.
      allowlistChanged = true;
      record(now, EventKind.EXPIRE, allowance.network(), allowance.scope(), Optional.empty(),
          Optional.empty(), Optional.of(origin(allowance.key(), allowance.evidence())),
          allowance.expires());
      allowJailActions(allowance).unban(new Ban(allowance.network(), allowance.scope(),
          allowance.created(), allowance.expires(), 1, "expired"), now);
      LOG.log(Level.INFO, "[{0}] Allowance of {1} for {2} expired",
          allowance.evidence().jail().orElse(allowance.source().text()), allowance.network(),
          allowance.scope());
    }
  }

  /** Drops failure windows older than findtime (housekeeping, not every tick). */
  void cleanup(Instant now) {
    double time = seconds(now);
    for (BanJail jail : banJails.values()) {
      jail.failures.cleanup(time, seconds(jail.settings.findtime()),
          network -> forgetWindow(new BanKey(network, jail.name())));
    }
    for (AllowJail jail : allowJails.values()) {
      jail.successes.cleanup(time, seconds(jail.settings.findtime()),
          network -> forgetWindow(new BanKey(network, jail.name())));
    }
  }

  /** The next moment something ends, if anything will. */
  Optional<Instant> nextDeadline() {
    Optional<Instant> next = allowlist.nextExpiry();
    for (BanJail jail : banJails.values()) {
      Optional<Instant> end = jail.nextExpiry();
      if (end.isPresent() && (next.isEmpty() || end.get().isBefore(next.get()))) {
        next = end;
      }
    }
    return next;
  }

  // --- changes by hand (the control socket and the command line) ---

  /** Grants by hand; returns the allowances as they now stand. */
  List<Allowance> allow(List<Cidr> networks, List<String> scopes, Optional<Instant> until,
      AllowSource source, String origin, Evidence evidence, Instant now) {
    List<Allowance> result = new ArrayList<>();
    for (Cidr network : networks) {
      for (String scope : scopes) {
        AllowanceKey key = new AllowanceKey(network, scope, source, origin);
        grant(key, until, evidence, now, Optional.empty());
        result.add(allowlist.get(key).orElseThrow());
      }
    }
    // One line per call, not per network: an import of 100,000 networks is one decision.
    LOG.log(Level.INFO, "[{0}] Allow {1} for {2} {3}", source.text()
        + (origin.isEmpty() ? "" : " " + origin), sample(networks), String.join(" ", scopes),
        until.map(end -> "until " + timeFormat.format(end)).orElse("permanently"));
    return result;
  }

  /** "192.0.2.7", "192.0.2.7 2001:db8::7", "192.0.2.7 ... (100000 networks)". */
  private static String sample(List<Cidr> networks) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < networks.size() && i < 3; i++) {
      text.append(i == 0 ? "" : " ").append(networks.get(i));
    }
    return networks.size() <= 3 ? text.toString()
        : text + " ... (" + networks.size() + " networks)";
  }

  /** Removes allowances of {@code network} (all scopes, or one); returns what was removed. */
  List<Allowance> revoke(Cidr network, Optional<String> scope, Instant now, String why) {
    List<Allowance> removed = new ArrayList<>();
    for (Allowance allowance : allowlist.atNetwork(network).values()) {
      if (scope.isPresent() && !scope.get().equals(allowance.scope())) {
        continue;
      }
      if (allowance.source() == AllowSource.CONFIG) {
        continue; // configuration entries change with the configuration
      }
      removed.add(remove(allowance, now, why));
    }
    return removed;
  }

  /** Removes the allowance {@code key} (never a configuration entry), if it is there. */
  Optional<Allowance> revoke(AllowanceKey key, Instant now, String why) {
    return allowlist.get(key).filter(allowance -> allowance.source() != AllowSource.CONFIG)
        .map(allowance -> remove(allowance, now, why));
  }

  private Allowance remove(Allowance allowance, Instant now, String why) {
    allowlist.remove(allowance.key());
    lastRenewEvent.remove(allowance.key());
    changes.removeAllowance(allowance.key());
    allowlistChanged = true;
    record(now, EventKind.REVOKE, allowance.network(), allowance.scope(), Optional.empty(),
        Optional.empty(), Optional.of(why), Optional.empty());
    allowJailActions(allowance).unban(new Ban(allowance.network(), allowance.scope(),
        allowance.created(), allowance.expires(), 1, why), now);
    LOG.log(Level.INFO, "[{0}] Revoke {1} for {2} ({3})", allowance.source().text(),
        allowance.network(), allowance.scope(), why);
    return allowance;
  }

  /** Puts a configuration entry ({@code ignoreip}) on the allowlist; kept in memory only. */
  void allowFromConfig(Cidr network, String scope, String origin, Instant now) {
    AllowanceKey key = new AllowanceKey(network, scope, AllowSource.CONFIG, origin);
    allowlist.put(new Allowance(key, Evidence.note("ignoreip of " + origin), now, now,
        Optional.empty(), 0));
  }

  /**
   * Makes the configuration entries of {@code origin} (an {@code ignoreip} host name of jail
   * {@code scope}) exactly {@code networks}, now that the name resolves to them: new ones are
   * allowed (lifting the bans they cover), ones the name no longer has are dropped, each
   * recorded as an event. Returns true when anything changed.
   */
  boolean followConfig(String scope, String origin, Collection<Cidr> networks, String name,
      Instant now) {
    boolean changed = false;
    for (Allowance allowance : allowlist.all()) {
      AllowanceKey key = allowance.key();
      if (key.source() == AllowSource.CONFIG && key.scope().equals(scope)
          && key.origin().equals(origin) && !networks.contains(key.network())) {
        allowlist.remove(key);
        record(now, EventKind.REVOKE, key.network(), scope, Optional.empty(), Optional.empty(),
            Optional.of("ignoreip " + name + " no longer resolves to it"), Optional.empty());
        LOG.log(Level.INFO, "[{0}] ignoreip {1} no longer resolves to {2}: dropped", scope, name,
            key.network());
        changed = true;
      }
    }
    for (Cidr network : networks) {
      AllowanceKey key = new AllowanceKey(network, scope, AllowSource.CONFIG, origin);
      if (allowlist.get(key).isEmpty()) {
        allowFromConfig(network, scope, origin, now);
        record(now, EventKind.GRANT, network, scope, Optional.empty(), Optional.empty(),
            Optional.of("ignoreip " + name + " resolves to it"), Optional.empty());
        LOG.log(Level.INFO, "[{0}] ignoreip {1} now resolves to {2}: allowed", scope, name,
            network);
        liftBansCoveredBy(allowlist.get(key).orElseThrow(), now);
        changed = true;
      }
    }
    allowlistChanged |= changed;
    return changed;
  }

  /**
   * The actions of the allow jail that granted {@code allowance}, once its grant has no other
   * allowance left (a grant for several jails ends with its last one); none for other sources.
   */
  private JailActions allowJailActions(Allowance allowance) {
    AllowJail jail = allowance.source() == AllowSource.LOGIN
        ? allowJails.get(allowance.key().origin()) : null;
    if (jail == null) {
      return JailActions.NONE;
    }
    boolean remaining = allowlist.atNetwork(allowance.network()).values().stream()
        .anyMatch(other -> other.source() == AllowSource.LOGIN
            && other.key().origin().equals(allowance.key().origin()));
    return remaining ? JailActions.NONE : jail.actions;
  }

  /** Puts the window {@code table} holds for {@code network} into this batch (or its end). */
  private void saveWindow(String jail, FailureTable table, Cidr network) {
    BanKey key = new BanKey(network, jail);
    double[] window = table.window(network);
    if (window == null) {
      forgetWindow(key);
    } else {
      keepWindow(new FailureWindow(key, instant(window[0]), instant(window[1]),
          (int) window[2]));
    }
  }

  private void keepWindow(FailureWindow window) {
    windows.put(window.key(), Optional.of(window));
  }

  private void forgetWindow(BanKey key) {
    windows.put(key, Optional.empty());
  }

  private static Instant instant(double epochSeconds) {
    return Instant.ofEpochMilli(Math.round(epochSeconds * 1000));
  }

  private void record(Instant now, EventKind kind, Cidr network, String jail,
      Optional<String> user, Optional<String> line, Optional<String> detail,
      Optional<Instant> until) {
    changes.add(new Event(now, kind, network.toString(), jail, user, line, detail, until));
  }

  /** The time of a match: the line's, unless live and more than a minute off (then now). */
  private Instant lineTime(FilterMatch match, Instant now) {
    double time = match.time();
    if (Double.isNaN(time)) {
      return now;
    }
    Instant instant = Instant.ofEpochMilli(Math.round(time * 1000));
    if (live && Math.abs(seconds(instant) - seconds(now)) > MAX_SKEW_SECONDS) {
      return now;
    }
    return instant.isAfter(now) ? now : instant;
  }

  static String describe(Allowance allowance) {
    String origin = allowance.key().origin().isEmpty() ? allowance.source().text()
        : allowance.key().origin();
    return origin + " (" + allowance.network() + ")";
  }

  private static String origin(AllowanceKey key, Evidence evidence) {
    String text = key.source().text() + (key.origin().isEmpty() ? "" : " by " + key.origin());
    return evidence.note().map(note -> text + ": " + note).orElse(text);
  }

  static double seconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }

  static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  static String duration(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 86400 == 0) {
      return seconds / 86400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
