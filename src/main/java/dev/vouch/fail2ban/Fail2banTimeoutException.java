package dev.vouch.fail2ban;

import java.nio.file.Path;
import java.time.Duration;

/**
 * fail2ban did not accept the connection or did not answer within the time allowed. fail2ban runs
 * socket commands one at a time in one thread, so a slow action (a ban that runs a firewall
 * command) delays every other caller; the command may still take effect later.
 */
public final class Fail2banTimeoutException extends Fail2banException {
  private final Path socket;
  private final Duration timeout;

  Fail2banTimeoutException(Path socket, Duration timeout, String message) {
    super(message);
    this.socket = socket;
    this.timeout = timeout;
  }

  static Fail2banTimeoutException connecting(Path socket, Duration timeout) {
    return new Fail2banTimeoutException(socket, timeout, "fail2ban at " + socket
        + " did not accept a connection within " + text(timeout) + ": it serves one"
        + " command at a time and is busy with another (a slow action? see fail2ban's log)."
        + " vouch tries again later.");
  }

  static Fail2banTimeoutException answering(Path socket, Duration timeout, String command) {
    return new Fail2banTimeoutException(socket, timeout, "fail2ban at " + socket
        + " did not answer '" + command + "' within " + text(timeout) + ": it serves one"
        + " command at a time and may be busy with a slow action (see fail2ban's log). The command"
        + " may still take effect; raise the timeout if fail2ban's actions are slow.");
  }

  private static String text(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  public Path socket() {
    return socket;
  }

  /** The limit that ran out. */
  public Duration timeout() {
    return timeout;
  }
}
