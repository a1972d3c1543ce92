package dev.vouch.allowlist;

import dev.vouch.net.Cidr;
import java.time.Instant;
import java.util.Optional;

/**
 * One allowance: {@code network} may not be banned by {@code scope} (a jail, or every jail)
 * until {@code expires} (never, when empty). Immutable; changes make new values.
 *
 * @param hits how many times it was granted or renewed
 */
public record Allowance(AllowanceKey key, Evidence evidence, Instant created, Instant renewed,
    Optional<Instant> expires, long hits) {

  public Cidr network() {
    return key.network();
  }

  public String scope() {
    return key.scope();
  }

  public AllowSource source() {
    return key.source();
  }

  public boolean permanent() {
    return expires.isEmpty();
  }

  /** True while it is in force at {@code now}. */
  public boolean liveAt(Instant now) {
    return expires.map(end -> end.isAfter(now)).orElse(true);
  }

  /** True when it covers {@code jail}. */
  public boolean covers(String jail) {
    return key.coversAllJails() || key.scope().equals(jail);
  }

  /**
   * This allowance renewed at {@code now} until {@code until} (never, when empty). An expiry
   * never moves earlier: a short manual grant does not cut a longer one short.
   */
  public Allowance renew(Instant now, Optional<Instant> until, Evidence latest) {
    Optional<Instant> next = expires.isEmpty() || until.isEmpty() ? Optional.empty()
        : Optional.of(until.get().isAfter(expires.get()) ? until.get() : expires.get());
    return new Allowance(key, latest, created, now, next, hits + 1);
  }
}
