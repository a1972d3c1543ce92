package dev.vouch.action;

import dev.vouch.net.IpAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/**
 * The dynamic tags of one ticket, as fail2ban's {@code ActionInfo} gives them; {@code <ip-host>}
 * (a reverse lookup) is only looked up when a command uses it.
 */
final class TicketValues implements Function<String, String> {
  private final ActionTicket ticket;

  TicketValues(ActionTicket ticket) {
    this.ticket = ticket;
  }

  @Override
  public String apply(String tag) {
    return switch (tag) {
      case "ip" -> ticket.network().toString();
      case "family" -> ticket.family();
      case "ip-rev" -> reversed(ticket.network().address());
      case "ip-host" -> hostName(ticket.network().address());
      case "fid" -> ticket.network().toString();
      case "failures", "ipfailures", "ipjailfailures" -> String.valueOf(ticket.failures());
      case "time" -> ActionTags.pythonFloat(ticket.time());
      case "bantime" -> String.valueOf(ticket.bantime());
      case "bancount" -> String.valueOf(ticket.banCount());
      case "matches", "ipmatches", "ipjailmatches" -> String.join("\n", ticket.matches());
      case "restored" -> ticket.restored() ? "1" : "0";
      case "name" -> null; // a static tag (the jail), never overridden by the ticket
      default -> null;
    };
  }

  /** fail2ban's {@code getPTR('')}: the reversed octets or nibbles, with a trailing dot. */
  static String reversed(IpAddress address) {
    StringBuilder text = new StringBuilder();
    if (address.isIpv4()) {
      long value = address.low();
      for (int shift = 0; shift < 32; shift += 8) {
        text.append((value >>> shift) & 0xff).append('.');
      }
    } else {
      for (int nibble = 0; nibble < 32; nibble++) {
        long half = nibble < 16 ? address.low() : address.high();
        text.append(Long.toHexString((half >>> (4 * (nibble % 16))) & 0xf)).append('.');
      }
    }
    return text.toString();
  }

  private static String hostName(IpAddress address) {
    try {
      InetAddress inet = InetAddress.getByName(address.toString());
      String name = inet.getCanonicalHostName();
      return name.equals(address.toString()) ? "" : name;
    } catch (UnknownHostException e) {
      return "";
    }
  }
}
