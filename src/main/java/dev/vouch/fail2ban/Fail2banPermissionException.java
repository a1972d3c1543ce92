package dev.vouch.fail2ban;

import java.nio.file.Path;

/**
 * The operating system refused vouch access to fail2ban's socket. fail2ban creates it with mode
 * 0700 for its own user (root), because whoever can write to it can make fail2ban run anything.
 */
public final class Fail2banPermissionException extends Fail2banUnreachableException {
  Fail2banPermissionException(Path socket, Throwable cause) {
    super(socket, "permission denied on fail2ban's socket " + socket + ": fail2ban makes it"
        + " root-only (mode 0700, owned by the user fail2ban runs as), since access to it means"
        + " root on this machine. Run vouch as root, or as the user fail2ban runs as.", cause);
  }
}
