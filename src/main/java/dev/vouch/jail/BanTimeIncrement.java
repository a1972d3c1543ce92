package dev.vouch.jail;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * fail2ban's {@code bantime.*} options: each new ban of a repeat offender lasts longer, by
 * fail2ban's default formula {@code max(bantime, bantime * 2^min(count, 20) * factor)} or by
 * {@code bantime.multipliers}, capped by {@code bantime.maxtime}, plus a random
 * {@code bantime.rndtime}.
 *
 * @param overallJails count earlier bans in every jail, not only this one
 */
public record BanTimeIncrement(boolean enabled, double factor, List<Long> multipliers,
    Optional<Duration> maxtime, Optional<Duration> rndtime, boolean overallJails) {

  public static final BanTimeIncrement OFF =
      new BanTimeIncrement(false, 1, List.of(), Optional.empty(), Optional.empty(), false);

  public BanTimeIncrement {
    multipliers = List.copyOf(multipliers);
  }

  /**
   * The ban time for a ban that follows {@code previousBans} earlier ones ({@code observer.py}
   * {@code incrBanTime}).
   */
  public Duration banTime(Duration base, int previousBans, DoubleSupplier random) {
    if (!enabled || previousBans <= 0 || base.isNegative() || base.isZero()) {
      return base;
    }
    double seconds = base.toMillis() / 1000.0;
    double result;
    if (!multipliers.isEmpty()) {
      long multiplier = multipliers.get(Math.min(previousBans, multipliers.size() - 1));
      result = seconds * factor * multiplier;
    } else {
      result = Math.max(seconds, seconds * (1L << Math.min(previousBans, 20)) * factor);
    }
    if (maxtime.isPresent()) {
      result = Math.min(result, maxtime.get().toMillis() / 1000.0);
    }
    if (rndtime.isPresent()) {
      result += random.getAsDouble() * rndtime.get().toMillis() / 1000.0;
    }
    return Duration.ofMillis(Math.round(result * 1000));
  }

  /**
   * The attempts a new failure of a repeat offender counts for ({@code observer.py}
   * {@code failureFound}): {@code 2^count / 2 + 1}, at most maxretry, so it is banned sooner.
   */
  public int boostedRetry(int previousBans, int maxretry) {
    if (!enabled || previousBans <= 0) {
      return 1;
    }
    long boosted = (1L << Math.min(previousBans, 20)) / 2 + 1;
    return (int) Math.min(boosted, maxretry);
  }
}
