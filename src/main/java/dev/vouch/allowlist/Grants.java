package dev.vouch.allowlist;

import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.util.Optional;

/**
 * The rules for what may be allowed. A log line vouches for one address, widened to the allow
 * jail's {@code allowprefix} and never more; an unspecified address vouches for nothing. By hand,
 * an admin may allow a network, but not everything ({@code 0.0.0.0/0}, {@code ::/0}) unless they
 * insist.
 */
public final class Grants {
  private Grants() {}

  /** The network a login from {@code address} vouches for, or empty when it vouches for none. */
  public static Optional<Cidr> fromLog(IpAddress address, AllowPrefix prefix) {
    if (address.isUnspecified()) {
      return Optional.empty();
    }
    return Optional.of(new Cidr(address, prefix.bits(address.family())));
  }

  /**
   * Checks a network given by hand.
   *
   * @throws IllegalArgumentException saying why, for an unspecified address or (unless
   *     {@code force}) a network of every address
   */
  public static Cidr manual(Cidr network, boolean force) {
    if (network.isHost() && network.address().isUnspecified()) {
      throw new IllegalArgumentException(network + " is the unspecified address; no client has it");
    }
    if (network.prefix() == 0 && !force) {
      throw new IllegalArgumentException(network + " allows every " + network.family()
          + " address, which turns the failure jails off; use --force if that is really meant");
    }
    return network;
  }
}
