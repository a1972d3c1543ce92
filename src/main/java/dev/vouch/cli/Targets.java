package dev.vouch.cli;

import dev.vouch.VouchException;
import dev.vouch.allowlist.Grants;
import dev.vouch.daemon.Resolver;
import dev.vouch.net.AddressFormatException;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads ADDR, CIDR and HOST arguments, with messages that say what is wrong. */
final class Targets {
  private static final Pattern HOST_NAME = Pattern.compile(
      "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
  private static final Pattern LOOKS_NUMERIC = Pattern.compile("[0-9./]+|.*:.*");

  /** An argument: its networks, and the host name they came from, if any. */
  record Target(String text, List<Cidr> networks, Optional<String> hostName) {}

  private Targets() {}

  /** An address or network (never a name), checked as {@code allow add} checks it. */
  static Cidr network(String text, boolean force) {
    Cidr network;
    try {
      network = Cidr.parse(text);
    } catch (AddressFormatException e) {
      throw new UsageException(e.getMessage());
    }
    try {
      return Grants.manual(network, force);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** One address, as {@code allow check} and {@code explain} take it. */
  static IpAddress address(String text) {
    return IpAddress.tryParse(text.strip()).orElseThrow(() ->
        new UsageException(text + " is not an IP address"));
  }

  /** An address, a network, or a host name (resolved now). */
  static Target target(String text, boolean force, Resolver resolver) {
    String value = text.strip();
    if (LOOKS_NUMERIC.matcher(value).matches()) {
      return new Target(value, List.of(network(value, force)), Optional.empty());
    }
    if (!HOST_NAME.matcher(value).matches()) {
      throw new UsageException(value + " is not an IP address, a network (ADDR/LEN) or a host"
          + " name");
    }
    List<IpAddress> addresses = resolver.resolve(value);
    if (addresses.isEmpty()) {
      throw new VouchException("cannot resolve " + value + ": it has no address. Check the name,"
          + " or give the address instead.");
    }
    return new Target(value, addresses.stream().map(Cidr::of).toList(), Optional.of(value));
  }
}
