package dev.vouch.fail2ban;

import dev.vouch.net.IpAddress;
import java.util.regex.Pattern;

/**
 * An address as fail2ban spells it: {@code IPAddr.ntoa}, which is glibc's {@code inet_ntop}. That
 * is RFC 5952 (what {@link IpAddress#toString()} gives) except for IPv4-compatible IPv6 addresses:
 * glibc writes {@code ::1.2.3.4} where RFC 5952 writes {@code ::102:304}. (IPv4-mapped addresses
 * need no case: both fail2ban and {@link IpAddress} turn them into IPv4.) Also the syntax of the
 * DNS names vouch lets into an ignore list.
 */
final class Fail2banSpelling {
  /** A DNS host name: dot-separated labels of letters, digits, '-' and '_'; not all digits. */
  static final Pattern HOST_NAME =
      Pattern.compile("(?=.*[A-Za-z_])[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
          + "(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

  private Fail2banSpelling() {}

  static String of(IpAddress address) {
    // glibc: the first six groups zero (a zero run of exactly six at the start) and group 7 not.
    if (!address.isIpv4() && address.high() == 0 && (address.low() >>> 32) == 0
        && (address.low() >>> 16) != 0) {
      long v4 = address.low();
      return "::" + (v4 >>> 24) + "." + (v4 >>> 16 & 0xff) + "." + (v4 >>> 8 & 0xff) + "."
          + (v4 & 0xff);
    }
    return address.toString();
  }
}
