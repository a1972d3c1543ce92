package dev.vouch.jail;

import dev.vouch.VouchException;

/** A command named a jail the configuration does not have. */
public final class UnknownJailException extends VouchException {
  public UnknownJailException(String jail, java.util.Collection<String> known) {
    super("no jail named " + jail + (known.isEmpty() ? " (no jails are configured)"
        : "; the jails are: " + String.join(", ", known)));
  }
}
