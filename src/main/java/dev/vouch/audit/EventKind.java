package dev.vouch.audit;

import java.util.Locale;

/** What happened. */
public enum EventKind {
  /** An allowance was granted (by a login, by hand, by import, by DNS). */
  GRANT,
  /** A new success renewed an allowance. */
  RENEW,
  /** An allowance was removed by hand or its host name stopped resolving to it. */
  REVOKE,
  /** An allowance reached its expiry. */
  EXPIRE,
  /** A failure was counted toward a ban. */
  FAILURE,
  /** A failure was dropped because the address is allowed for the jail. */
  SPARED,
  /** An address was banned. */
  BAN,
  /** An address was unbanned (expiry, by hand, or because it became allowed). */
  UNBAN,
  /** An entry was added to a fail2ban jail's ignoreip. */
  FAIL2BAN_ADD,
  /** An entry vouch had added was removed from a fail2ban jail's ignoreip. */
  FAIL2BAN_REMOVE,
  /** An address fail2ban had banned was unbanned there because it became allowed. */
  FAIL2BAN_UNBAN;

  public String text() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static EventKind parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
