package dev.vouch.control;

import dev.vouch.VouchException;

/** The control socket could not be used: the message says why and what to do. */
public class ControlException extends VouchException {
  public ControlException(String message, Throwable cause) {
    super(message, cause);
  }
}
