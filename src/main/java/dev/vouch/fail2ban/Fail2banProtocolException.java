package dev.vouch.fail2ban;

/**
 * fail2ban's answer was not what its protocol promises: a bare {@code "ERROR: ..."} string
 * (fail2ban could not read the request), bytes that are not a pickle vouch can read, or a reply of
 * an unexpected shape. Either side has a bug, or the fail2ban version is one vouch does not know.
 */
public final class Fail2banProtocolException extends Fail2banException {
  public Fail2banProtocolException(String message) {
    super(message);
  }

  public Fail2banProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
