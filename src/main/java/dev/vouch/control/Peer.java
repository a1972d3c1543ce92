package dev.vouch.control;

import java.util.Set;

/** Who is on the other end of a connection: from the kernel (SO_PEERCRED), not from the peer. */
public record Peer(int pid, int uid, int gid, Set<Integer> groups) {
  public Peer {
    groups = Set.copyOf(groups);
  }
}
