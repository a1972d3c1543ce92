package dev.vouch.jail;

import dev.vouch.allowlist.AllowPrefix;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An allow jail: {@code maxretry} successes within {@code findtime} vouch for the address (widened
 * to {@code prefix}) for the jails in {@code allowFor} ({@code *} = every jail), for
 * {@code allowtime} (forever, when empty), renewed by each new success.
 */
public record AllowJailSettings(String name, String filter, List<String> allowFor,
    Optional<Duration> allowtime, int maxretry, Duration findtime, AllowPrefix prefix) {

  public AllowJailSettings {
    allowFor = List.copyOf(allowFor);
    if (allowFor.isEmpty()) {
      throw new IllegalArgumentException("allowfor must name at least one jail, or *");
    }
    if (maxretry < 1) {
      throw new IllegalArgumentException("maxretry must be at least 1");
    }
  }
}
