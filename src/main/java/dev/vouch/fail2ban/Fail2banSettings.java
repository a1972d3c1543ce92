package dev.vouch.fail2ban;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where fail2ban's socket is and how long vouch waits for it.
 *
 * @param socket fail2ban's socket ({@code socket =} in fail2ban.conf)
 * @param connectTimeout how long a connect may wait while fail2ban is busy with another command
 * @param readTimeout how long one command may take, from sending the request to the end of the
 *     reply. Commands that run actions ({@code banip}, {@code unbanip}) can legitimately take twice
 *     the action's timeout (fail2ban retries a failed action once); the ignore list commands run no
 *     action and answer in milliseconds
 * @param reuseConnection keep one connection open between calls instead of connecting per call
 */
public record Fail2banSettings(
    Path socket, Duration connectTimeout, Duration readTimeout, boolean reuseConnection) {

  /** fail2ban's default socket ({@code /var/run} is {@code /run} on current systems). */
  public static final Path DEFAULT_SOCKET = Path.of("/var/run/fail2ban/fail2ban.sock");
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

  public Fail2banSettings {
    Objects.requireNonNull(socket, "socket");
    requirePositive(connectTimeout, "connect timeout");
    requirePositive(readTimeout, "read timeout");
  }

  /** The defaults for {@code socket}: 3 s to connect, 5 s per command, one connection per call. */
  public static Fail2banSettings of(Path socket) {
    return new Fail2banSettings(socket, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, false);
  }

  public Fail2banSettings withConnectTimeout(Duration timeout) {
    return new Fail2banSettings(socket, timeout, readTimeout, reuseConnection);
  }

  public Fail2banSettings withReadTimeout(Duration timeout) {
    return new Fail2banSettings(socket, connectTimeout, timeout, reuseConnection);
  }

  public Fail2banSettings withReuseConnection(boolean reuse) {
    return new Fail2banSettings(socket, connectTimeout, readTimeout, reuse);
  }

  private static void requirePositive(Duration timeout, String what) {
    Objects.requireNonNull(timeout, what);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + timeout);
    }
  }
}
