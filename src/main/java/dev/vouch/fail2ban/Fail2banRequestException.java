package dev.vouch.fail2ban;

/**
 * A request that vouch refuses to send, because fail2ban would misread it: an argument with
 * fail2ban's frame marker in it, or an ignore entry fail2ban would reject halfway through a batch.
 */
public final class Fail2banRequestException extends Fail2banException {
  Fail2banRequestException(String message) {
    super(message);
  }
}
