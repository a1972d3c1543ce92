package dev.vouch.filter;

import dev.vouch.net.IpAddress;
import java.util.List;

/** Resolves a host name found in a log line ({@code usedns = yes}) to its addresses. */
@FunctionalInterface
public interface HostResolver {
  /** Never resolves: a name yields no address. */
  HostResolver NONE = name -> List.of();

  /** The addresses of {@code name}; empty when it does not resolve. Must not block for long. */
  List<IpAddress> resolve(String name);
}
