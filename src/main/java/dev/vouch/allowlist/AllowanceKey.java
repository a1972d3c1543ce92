package dev.vouch.allowlist;

import dev.vouch.net.Cidr;

/**
 * What identifies an allowance: the network, the jail it is for ({@code *} for all), its source,
 * and its origin (the allow jail of a login, the host name of a DNS entry, empty otherwise).
 * A new login renews the allowance with the same key instead of adding one.
 */
public record AllowanceKey(Cidr network, String scope, AllowSource source, String origin) {
  public static final String ALL_JAILS = "*";

  public AllowanceKey {
    if (scope.isBlank()) {
      throw new IllegalArgumentException("an allowance's scope is a jail name or *");
    }
    origin = origin == null ? "" : origin;
  }

  public boolean coversAllJails() {
    return ALL_JAILS.equals(scope);
  }
}
