package dev.vouch.fail2ban;

import java.nio.file.Path;

/**
 * fail2ban could not be reached: its socket is missing, nothing listens on it, or fail2ban closed
 * the connection because it is stopping. Nothing was changed in fail2ban by the failed call; try
 * again once fail2ban answers.
 */
public class Fail2banUnreachableException extends Fail2banException {
  private final Path socket;

  public Fail2banUnreachableException(Path socket, String message) {
    super(message);
    this.socket = socket;
  }

  public Fail2banUnreachableException(Path socket, String message, Throwable cause) {
    super(message, cause);
    this.socket = socket;
  }

  /** The socket vouch tried. */
  public Path socket() {
    return socket;
  }

  /** The message for a socket that is missing or refuses connections, with {@code why} in it. */
  static Fail2banUnreachableException notRunning(Path socket, String why, Throwable cause) {
    return new Fail2banUnreachableException(socket, "cannot reach fail2ban at " + socket + " ("
        + why + "): is fail2ban running? Set [fail2ban] socket in vouch.conf if it lives"
        + " elsewhere.", cause);
  }
}
