package dev.vouch.net;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address as a value: 128 bits in two longs (IPv4 uses the low 32 bits).
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:192.0.2.1}) are normalised to IPv4 on parsing, as
 * fail2ban does, so one client is one key whichever way a daemon logs it. {@link #toString()} is
 * the canonical text: dotted quad, or RFC 5952 for IPv6 (the form fail2ban's socket returns).
 */
public record IpAddress(Family family, long high, long low) implements Comparable<IpAddress> {
  /** An octet with a leading zero, for the message that says why such an address is refused. */
  private static final Pattern LEADING_ZERO = Pattern.compile("(?:^|[.:])0[0-9]+(?:\\.|$)");

  /** The two address families, with their width in bits. */
  public enum Family {
    IPV4(32),
    IPV6(128);

    private final int bits;

    Family(int bits) {
      this.bits = bits;
    }

    public int bits() {
      return bits;
    }
  }

  public IpAddress {
    if (family == Family.IPV4 && (high != 0 || (low >>> 32) != 0)) {
      throw new IllegalArgumentException("IPv4 address out of range");
    }
  }

  /** An IPv4 address from its 32-bit value. */
  public static IpAddress ofIpv4(int value) {
    return new IpAddress(Family.IPV4, 0, value & 0xffff_ffffL);
  }

  /** An IPv6 address from its two 64-bit halves; IPv4-mapped ones become IPv4. */
  public static IpAddress ofIpv6(long high, long low) {
    if (high == 0 && (low >>> 32) == 0xffffL) {
      return ofIpv4((int) low);
    }
    return new IpAddress(Family.IPV6, high, low);
  }

  /**
   * Parses an address: dotted quad, IPv6 (with {@code ::}, an embedded dotted quad, optional
   * brackets). Zone ids ({@code %eth0}) are refused: they are not addresses of a remote client.
   *
   * @throws AddressFormatException with the reason, when the text is not an address
   */
  public static IpAddress parse(CharSequence text) {
    IpAddress address = parseOrNull(text, 0, text.length());
    if (address == null) {
      throw new AddressFormatException("not an IP address: " + text + (LEADING_ZERO.matcher(text)
          .find() ? " (an octet with a leading zero reads as octal to some programs and as"
              + " decimal to others; write it without the zero)" : ""));
    }
    return address;
  }

  /** Like {@link #parse} but empty instead of an exception. */
  public static Optional<IpAddress> tryParse(CharSequence text) {
    return Optional.ofNullable(parseOrNull(text, 0, text.length()));
  }

  /**
   * The address of a dotted quad as {@link #parse} reads it ({@code 192.0.2.1}, no leading
   * zeros), else null (also for every other form of address): the quick path for the IPv4 text
   * of a log line, whose canonical text ({@link #toString}) is then the text itself.
   */
  public static IpAddress parseDottedQuad(String text) {
    int length = text.length();
    if (length < 7 || length > 15) {
      return null;
    }
    int value = 0;
    int octets = 0;
    int octet = 0;
    int digits = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits == 3 || (digits == 1 && octet == 0)) {
          return null; // a fourth digit, or a leading zero
        }
        octet = octet * 10 + (c - '0');
        digits++;
      } else if (c == '.' && digits > 0 && octets < 3) {
        if (octet > 255) {
          return null;
        }
        value = (value << 8) | octet;
        octets++;
        octet = 0;
        digits = 0;
      } else {
        return null;
      }
    }
    if (octets != 3 || digits == 0 || octet > 255) {
      return null;
    }
    return ofIpv4((value << 8) | octet);
  }

  /** Parses {@code text[from, to)}, or returns null when it is not an address. */
  static IpAddress parseOrNull(CharSequence text, int from, int to) {
    if (to - from >= 2 && text.charAt(from) == '[' && text.charAt(to - 1) == ']') {
      from++;
      to--;
    }
    if (from >= to) {
      return null;
    }
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == ':') {
        return parseIpv6(text, from, to);
      }
    }
    long v4 = parseIpv4(text, from, to);
    return v4 < 0 ? null : ofIpv4((int) v4);
  }

  /**
   * The 32-bit value of a dotted quad in {@code text[from, to)}, or -1. An octet with a leading
   * zero ({@code 010}) is refused, as glibc's inet_pton (so fail2ban), Python's ipaddress and the
   * JDK refuse it: some parsers read it as octal (8), others as decimal (10).
   */
  private static long parseIpv4(CharSequence text, int from, int to) {
    long value = 0;
    int octets = 0;
    int i = from;
    while (i < to) {
      int start = i;
      int octet = 0;
      while (i < to && i - start < 3) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        octet = octet * 10 + (c - '0');
        i++;
      }
      if (i == start || octet > 255 || (i - start > 1 && text.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | octet;
      octets++;
      if (i == to) {
        break;
      }
      if (text.charAt(i) != '.' || octets == 4) {
        return -1;
      }
      i++;
      if (i == to) {
        return -1;
      }
    }
    return octets == 4 ? value : -1;
  }

  private static IpAddress parseIpv6(CharSequence text, int from, int to) {
    int[] groups = new int[8];
    int count = 0;
    int doubleColon = -1;
    int i = from;
    if (text.charAt(i) == ':') {
      if (to - i < 2 || text.charAt(i + 1) != ':') {
        return null;
      }
      doubleColon = 0;
      i += 2;
    }
    while (i < to) {
      int start = i;
      int group = 0;
      while (i < to && i - start < 4) {
        int digit = hexDigit(text.charAt(i));
        if (digit < 0) {
          break;
        }
        group = (group << 4) | digit;
        i++;
      }
      if (i < to && text.charAt(i) == '.') {
        // An embedded dotted quad takes the last two groups.
        long v4 = parseIpv4(text, start, to);
        if (v4 < 0 || count > 6) {
          return null;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xffff);
        i = to;
        break;
      }
      if (i == start) {
        return null;
      }
      if (count == 8) {
        return null;
      }
      groups[count++] = group;
      if (i == to) {
        break;
      }
      if (text.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < to && text.charAt(i) == ':') {
        if (doubleColon >= 0) {
          return null;
        }
        doubleColon = count;
        i++;
      } else if (i == to) {
        return null;
      }
    }
    if (doubleColon >= 0) {
      if (count > 7) {
        return null;
      }
      int gap = 8 - count;
      System.arraycopy(groups, doubleColon, groups, doubleColon + gap, count - doubleColon);
      for (int g = doubleColon; g < doubleColon + gap; g++) {
        groups[g] = 0;
      }
    } else if (count != 8) {
      return null;
    }
    long high = 0;
    long low = 0;
    for (int g = 0; g < 4; g++) {
      high = (high << 16) | groups[g];
      low = (low << 16) | groups[g + 4];
    }
    return ofIpv6(high, low);
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  public boolean isIpv4() {
    return family == Family.IPV4;
  }

  /** 0.0.0.0 or ::, which no client can have. */
  public boolean isUnspecified() {
    return high == 0 && low == 0;
  }

  /** Loopback: 127.0.0.0/8 or ::1. */
  public boolean isLoopback() {
    return isIpv4() ? (low >>> 24) == 127 : high == 0 && low == 1;
  }

  /** This address with all but the first {@code prefix} bits cleared. */
  public IpAddress mask(int prefix) {
    int bits = family.bits();
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix " + prefix + " out of range for " + family);
    }
    if (isIpv4()) {
      long mask = prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
      return new IpAddress(family, 0, low & mask);
    }
    long highMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
    long lowMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    return new IpAddress(family, high & highMask, low & lowMask);
  }

  @Override
  public int compareTo(IpAddress other) {
    int c = family.compareTo(other.family);
    if (c == 0) {
      c = Long.compareUnsigned(high, other.high);
    }
    return c != 0 ? c : Long.compareUnsigned(low, other.low);
  }

  /** Canonical text: dotted quad, or RFC 5952 (lower case, longest zero run as {@code ::}). */
  @Override
  public String toString() {
    if (isIpv4()) {
      return (low >>> 24) + "." + ((low >>> 16) & 0xff) + "." + ((low >>> 8) & 0xff) + "." + (low & 0xff);
    }
    int[] groups = new int[8];
    for (int g = 0; g < 4; g++) {
      groups[g] = (int) (high >>> (48 - 16 * g)) & 0xffff;
      groups[g + 4] = (int) (low >>> (48 - 16 * g)) & 0xffff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int g = 0; g < 8; ) {
      if (groups[g] != 0) {
        g++;
        continue;
      }
      int start = g;
      while (g < 8 && groups[g] == 0) {
        g++;
      }
      if (g - start > bestLength) {
        bestStart = start;
        bestLength = g - start;
      }
    }
    StringBuilder text = new StringBuilder(39);
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        text.append("::");
        g += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[g]));
    }
    return text.toString();
  }
}
