package dev.vouch.jail;

import dev.vouch.net.Cidr;
import java.time.Instant;
import java.util.Optional;

/**
 * A ban in force: {@code network} banned by {@code jail} since {@code since} until
 * {@code until} (never, when empty).
 *
 * @param count which ban this is for the address in this jail (1 for the first), the input of
 *     bantime.increment
 * @param reason the regex and lines that led to it, for {@code vouch explain}
 */
public record Ban(Cidr network, String jail, Instant since, Optional<Instant> until, int count,
    String reason) {

  public BanKey key() {
    return new BanKey(network, jail);
  }

  public boolean permanent() {
    return until.isEmpty();
  }

  public boolean liveAt(Instant now) {
    return until.map(end -> end.isAfter(now)).orElse(true);
  }
}
