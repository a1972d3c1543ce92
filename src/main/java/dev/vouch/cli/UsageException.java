package dev.vouch.cli;

import dev.vouch.VouchException;

/** The command line asks for something that cannot be: exit code 2. */
final class UsageException extends VouchException {
  UsageException(String message) {
    super(message);
  }
}
