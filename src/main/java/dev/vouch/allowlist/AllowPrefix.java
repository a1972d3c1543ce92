package dev.vouch.allowlist;

import dev.vouch.net.IpAddress;

/**
 * The width an allow jail grants per family ({@code allowprefix = 32 64}: the IPv4 host, the IPv6
 * /64 that privacy addresses rotate within). A log line can never vouch for more.
 */
public record AllowPrefix(int ipv4, int ipv6) {
  public static final AllowPrefix DEFAULT = new AllowPrefix(32, 64);
  /** Narrower than this, a prefix covers other people's addresses too; refused from logs. */
  public static final int MIN_IPV4 = 16;
  public static final int MIN_IPV6 = 32;

  public AllowPrefix {
    if (ipv4 < MIN_IPV4 || ipv4 > 32) {
      throw new IllegalArgumentException(
          "allowprefix: the IPv4 width must be " + MIN_IPV4 + " to 32. Found: " + ipv4);
    }
    if (ipv6 < MIN_IPV6 || ipv6 > 128) {
      throw new IllegalArgumentException(
          "allowprefix: the IPv6 width must be " + MIN_IPV6 + " to 128. Found: " + ipv6);
    }
  }

  /** Parses {@code "32 64"} (IPv4 then IPv6) or a single IPv4 width. */
  public static AllowPrefix parse(String text) {
    String[] parts = text.trim().split("[\\s,]+");
    try {
      if (parts.length == 1) {
        return new AllowPrefix(Integer.parseInt(parts[0]), DEFAULT.ipv6());
      }
      if (parts.length == 2) {
        return new AllowPrefix(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        "allowprefix: expected two widths, IPv4 then IPv6, like \"32 64\". Found: " + text);
  }

  public int bits(IpAddress.Family family) {
    return family == IpAddress.Family.IPV4 ? ipv4 : ipv6;
  }

  @Override
  public String toString() {
    return ipv4 + " " + ipv6;
  }
}
