package dev.vouch.control;

import java.util.Optional;

/**
 * Who may use the control socket: root, the daemon's own user, and members of one configured
 * group. Immutable.
 */
public record AccessPolicy(int daemonUid, Optional<Integer> groupGid) {

  public boolean allows(Peer peer) {
    if (peer.uid() == 0 || peer.uid() == daemonUid) {
      return true;
    }
    return groupGid.isPresent()
        && (peer.gid() == groupGid.get() || peer.groups().contains(groupGid.get()));
  }
}
