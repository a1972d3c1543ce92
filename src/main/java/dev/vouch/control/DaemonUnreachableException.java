package dev.vouch.control;

/** No daemon answers on the socket (none runs, or it is stuck). */
public final class DaemonUnreachableException extends ControlException {
  public DaemonUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
