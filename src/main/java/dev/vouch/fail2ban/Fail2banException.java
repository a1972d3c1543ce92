package dev.vouch.fail2ban;

import dev.vouch.VouchException;

/** Something went wrong while talking to fail2ban; subclasses say what. */
public class Fail2banException extends VouchException {
  public Fail2banException(String message) {
    super(message);
  }

  public Fail2banException(String message, Throwable cause) {
    super(message, cause);
  }
}
