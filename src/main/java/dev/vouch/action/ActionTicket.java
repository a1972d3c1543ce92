package dev.vouch.action;

import dev.vouch.net.Cidr;
import java.util.List;
import java.util.Map;

/**
 * What a ban (or a grant, for an allow jail's actions) gives an action's dynamic tags:
 * {@code <ip>}, {@code <time>}, {@code <bantime>}, {@code <matches>}, {@code <F-USER>} ...
 *
 * @param time epoch seconds of the decision
 * @param bantime seconds, -1 for permanent
 * @param fields the filter's captured fields by lower-case name ({@code user} for {@code <F-USER>})
 */
public record ActionTicket(String jail, Cidr network, double time, long bantime, int banCount,
    int failures, List<String> matches, Map<String, String> fields, boolean restored) {

  public ActionTicket {
    matches = List.copyOf(matches);
    fields = Map.copyOf(fields);
  }

  /** This ticket at another time (an unban's own). */
  public ActionTicket at(double epochSeconds) {
    return new ActionTicket(jail, network, epochSeconds, bantime, banCount, failures, matches,
        fields, restored);
  }

  /** fail2ban's family names: {@code inet4} or {@code inet6}. */
  public String family() {
    return network.address().isIpv4() ? "inet4" : "inet6";
  }
}
