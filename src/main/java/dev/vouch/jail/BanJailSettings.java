package dev.vouch.jail;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure jail: ban an address after {@code maxretry} failures within {@code findtime}, for
 * {@code bantime} (forever, when empty), with fail2ban's meaning of each.
 */
public record BanJailSettings(String name, int maxretry, Duration findtime,
    Optional<Duration> bantime, BanTimeIncrement increment) {

  public BanJailSettings {
    if (maxretry < 1) {
      throw new IllegalArgumentException("maxretry must be at least 1");
    }
  }
}
