package dev.vouch.allowlist;

import java.util.Locale;

/** Where an allowance came from. */
public enum AllowSource {
  /** A successful login seen in a log by an allow jail. */
  LOGIN,
  /** {@code vouch allow add}. */
  MANUAL,
  /** {@code ignoreip} in the configuration. */
  CONFIG,
  /** An address a host name resolved to (an allowed name is re-resolved on a schedule). */
  DNS,
  /** {@code vouch allow import}. */
  IMPORT;

  /** The lower-case name used in files, JSON and the database. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AllowSource parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
