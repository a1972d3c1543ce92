package dev.vouch.filter;

import java.util.Locale;

/** fail2ban's {@code usedns}: what to do with a host name where an address was expected. */
public enum UseDns {
  /** Resolve names found in logs. */
  YES,
  /** Resolve, and warn about it (fail2ban's default). */
  WARN,
  /** Never resolve; {@code <HOST>} matches addresses only. */
  NO,
  /** Keep the text as the failure id, unresolved. */
  RAW;

  /** Parses fail2ban's value ({@code yes|warn|no|raw}). */
  public static UseDns parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "usedns: expected yes, warn, no or raw. Found: " + value);
    }
  }
}
