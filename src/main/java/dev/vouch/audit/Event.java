package dev.vouch.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * One decision and its evidence.
 *
 * @param subject the address or network it is about, as text
 * @param jail the jail that decided (or the fail2ban jail pushed to); empty for global changes
 * @param line the log line that caused it, if one did
 * @param detail what else explains it: the regex, the source of an allowance, a note
 * @param until when the allowance or ban ends, if it is one that ends
 */
public record Event(Instant time, EventKind kind, String subject, String jail,
    Optional<String> user, Optional<String> line, Optional<String> detail,
    Optional<Instant> until) {

  public Event {
    jail = jail == null ? "" : jail;
  }
}
