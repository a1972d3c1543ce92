package dev.vouch.net;

/**
 * A network: an address and a prefix length, with the host bits cleared ({@code 10.1.2.3/8} is
 * {@code 10.0.0.0/8}, as fail2ban reads it). A single address is a network of full width.
 */
public record Cidr(IpAddress address, int prefix) implements Comparable<Cidr> {

  public Cidr {
    if (prefix < 0 || prefix > address.family().bits()) {
      throw new AddressFormatException(
          "prefix /" + prefix + " is out of range for " + address.family() + " (0 to "
              + address.family().bits() + ")");
    }
    address = address.mask(prefix);
  }

  /** The network of exactly one address. */
  public static Cidr of(IpAddress address) {
    return new Cidr(address, address.family().bits());
  }

  /**
   * Parses {@code ADDR}, {@code ADDR/LEN} or {@code ADDR/DOTTED-MASK} (IPv4), with optional
   * brackets around an IPv6 address.
   *
   * @throws AddressFormatException saying what is wrong
   */
  public static Cidr parse(CharSequence text) {
    String value = text.toString().trim();
    int slash = value.indexOf('/');
    if (slash < 0) {
      return of(IpAddress.parse(value));
    }
    IpAddress address = IpAddress.tryParse(value.substring(0, slash))
        .orElseThrow(() -> new AddressFormatException("not an IP network: " + text
            + " (the part before '/' is not an address)"));
    String length = value.substring(slash + 1);
    if (length.matches("\\d{1,3}")) {
      int prefix = Integer.parseInt(length);
      if (prefix > address.family().bits()) {
        throw new AddressFormatException("not an IP network: " + text + " (an " + address.family()
            + " prefix is 0 to " + address.family().bits() + ")");
      }
      return new Cidr(address, prefix);
    }
    if (address.isIpv4()) {
      IpAddress mask = IpAddress.tryParse(length).filter(IpAddress::isIpv4).orElse(null);
      if (mask != null) {
        int prefix = Long.bitCount(mask.low());
        if (mask.equals(IpAddress.ofIpv4(-1).mask(prefix))) {
          return new Cidr(address, prefix);
        }
      }
    }
    throw new AddressFormatException(
        "not an IP network: " + text + " (expected ADDRESS/PREFIX, e.g. 192.0.2.0/24)");
  }

  public IpAddress.Family family() {
    return address.family();
  }

  /** True for a network of one address. */
  public boolean isHost() {
    return prefix == address.family().bits();
  }

  /** True when {@code candidate} lies inside this network (families must match). */
  public boolean contains(IpAddress candidate) {
    return candidate.family() == address.family() && candidate.mask(prefix).equals(address);
  }

  /** True when every address of {@code other} lies inside this network. */
  public boolean contains(Cidr other) {
    return other.prefix >= prefix && contains(other.address);
  }

  @Override
  public int compareTo(Cidr other) {
    int c = address.compareTo(other.address);
    return c != 0 ? c : Integer.compare(prefix, other.prefix);
  }

  /** {@code 192.0.2.7} for a host, {@code 192.0.2.0/24} for a wider network. */
  @Override
  public String toString() {
    return isHost() ? address.toString() : address + "/" + prefix;
  }
}
