package dev.vouch.cli;

import dev.vouch.VouchException;
import dev.vouch.allowlist.Grants;
import dev.vouch.daemon.Resolver;
import dev.vouch.net.AddressFormatException;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.util.List;
import java.util.Locale;
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

  /** True when {@code text} is meant as an address or network, not as a host name. */
  static boolean numeric(String text) {
    return LOOKS_NUMERIC.matcher(text.strip()).matches();
  }

  /**
   * A host name as allowances keep it: lower case, without the root's dot.
   *
   * @throws UsageException when it cannot be a host name
   */
  static String hostName(String text) {
    String value = text.strip();
    if (!HOST_NAME.matcher(value).matches() || value.length() > 254) {
      throw new UsageException(value + " is not an IP address, a network (ADDR/LEN) or a host"
          + " name");
    }
    String name = value.toLowerCase(Locale.ROOT);
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** An address, a network, or a host name (resolved now). */
  static Target target(String text, boolean force, Resolver resolver) {
    String value = text.strip();
    if (numeric(value)) {
      return new Target(value, List.of(network(value, force)), Optional.empty());
    }
    String name = hostName(value);
    List<IpAddress> addresses = resolver.resolve(name);
    if (addresses.isEmpty()) {
      throw new VouchException("cannot resolve " + name + ": no address found for it, so"
          + " nothing was allowed. Check the name (and this machine's DNS), or give the"
          + " addresses instead.");
    }
    return new Target(value, addresses.stream().map(Cidr::of).toList(), Optional.of(name));
  }
}
