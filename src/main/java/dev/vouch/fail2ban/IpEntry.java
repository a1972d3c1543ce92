package dev.vouch.fail2ban;

import dev.vouch.net.AddressFormatException;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a fail2ban IP list ({@code ignoreip}, a jail's bans): an address, a network, or a
 * name that fail2ban keeps as text (a DNS host in {@code ignoreip}; a non-IP ticket id in a ban
 * list).
 *
 * <p>{@link #text()} is the entry exactly as fail2ban prints it and compares it. That matters for
 * removal: fail2ban finds a single address to delete by the hash of its text, so
 * {@code delignoreip 2001:DB8::1} misses the {@code 2001:db8::1} it holds. Entries built here use
 * fail2ban's spelling (its {@code IPAddr.ntoa}: glibc's {@code inet_ntop}, with {@code /len} only
 * for networks).
 */
public sealed interface IpEntry permits IpEntry.Address, IpEntry.Network, IpEntry.Name {

  /** The entry as fail2ban prints it, and the text to send to change it. */
  String text();

  /** An address entry. */
  static IpEntry of(IpAddress address) {
    return new Address(address);
  }

  /** A network entry; a network of one address is an {@link Address}. */
  static IpEntry of(Cidr network) {
    return network.isHost() ? new Address(network.address()) : new Network(network);
  }

  /**
   * A DNS host name for {@code ignoreip} (fail2ban resolves it when it checks a ban).
   *
   * @throws Fail2banRequestException when {@code name} is not a host name
   */
  static IpEntry hostName(String name) {
    if (name.length() > 253 || !Fail2banSpelling.HOST_NAME.matcher(name).matches()
        || IpAddress.tryParse(name).isPresent()) {
      throw new Fail2banRequestException("not a DNS host name: '" + name
          + "' (expected letters, digits, '-' and '_' in dot-separated labels, like"
          + " mail.example.org)");
    }
    return new Name(name);
  }

  /**
   * Reads an entry as fail2ban prints it, or as an admin writes it in {@code ignoreip}: an address,
   * {@code ADDRESS/PREFIX} or {@code ADDRESS/NETMASK}, and anything else as a name.
   */
  static IpEntry parse(String text) {
    Optional<IpAddress> address = IpAddress.tryParse(text);
    if (address.isPresent()) {
      return new Address(address.get());
    }
    if (text.indexOf('/') > 0) {
      try {
        Cidr network = Cidr.parse(text);
        if (network.prefix() > 0) {
          return of(network);
        }
      } catch (AddressFormatException notANetwork) {
        // Falls through: fail2ban keeps what it cannot parse as text too.
      }
    }
    return new Name(text);
  }

  /** A single address; fail2ban keeps these in a set. */
  record Address(IpAddress address) implements IpEntry {
    public Address {
      Objects.requireNonNull(address, "address");
    }

    @Override
    public String text() {
      return Fail2banSpelling.of(address);
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /**
   * A network wider than one address; fail2ban keeps these in a list, in the order added.
   *
   * <p>A {@code /0} network is refused: fail2ban 1.0.2 prints it without its prefix
   * ({@code 0.0.0.0}), so it could not be told from the address {@code 0.0.0.0} when read back.
   */
  record Network(Cidr network) implements IpEntry {
    public Network {
      Objects.requireNonNull(network, "network");
      if (network.isHost()) {
        throw new IllegalArgumentException(network + " is one address: use IpEntry.of(network)");
      }
      if (network.prefix() == 0) {
        throw new Fail2banRequestException("refusing the network " + network + ": fail2ban 1.0.2"
            + " lists a /0 network as a bare address, so it could not be recognised or removed by"
            + " what fail2ban reports. Allowing every address would disable the jail anyway.");
      }
    }

    @Override
    public String text() {
      return Fail2banSpelling.of(network.address()) + "/" + network.prefix();
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /** A name fail2ban holds as plain text: a DNS host in ignoreip, a raw ticket id in a ban list. */
  record Name(String name) implements IpEntry {
    public Name {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("an empty name is no entry (fail2ban ignores it)");
      }
    }

    @Override
    public String text() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
