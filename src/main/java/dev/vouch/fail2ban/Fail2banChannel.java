package dev.vouch.fail2ban;

import java.nio.file.Path;
import java.util.List;

/**
 * Sends requests to fail2ban and returns the unpickled, normalised values: connects per call, or
 * keeps one connection when the settings ask for reuse (and reconnects once when fail2ban closed it
 * while it sat idle, e.g. across a restart). Any failure other than a command's own exception drops
 * the connection, since the stream may be out of step after it.
 *
 * <p>Thread-safe: calls are serialised on this object, as fail2ban serves one command at a time.
 */
final class Fail2banChannel implements AutoCloseable {
  private final Fail2banSettings settings;
  private UnixConnection connection;

  Fail2banChannel(Fail2banSettings settings) {
    this.settings = settings;
  }

  Path socket() {
    return settings.socket();
  }

  /** Runs {@code command} and returns the value of {@code (0, value)}. */
  synchronized Object call(List<?> command) {
    String text = CommandText.of(command);
    byte[] reply = exchange(PickleWriter.request(command), text);
    Object value;
    try {
      value = Unpickler.load(reply);
    } catch (Fail2banProtocolException e) {
      close();
      throw new Fail2banProtocolException("fail2ban at " + settings.socket() + " answered '" + text
          + "' with bytes vouch cannot read (" + e.getMessage() + "). Is this fail2ban 1.0?", e);
    }
    try {
      return Reply.value(value, text, settings.socket());
    } catch (Fail2banProtocolException | Fail2banUnreachableException e) {
      close();
      throw e;
    }
  }

  /**
   * Sends one complete request frame and returns the reply's pickle bytes (without the END
   * marker). Tests use it to send bytes no {@link PickleWriter} would write.
   */
  synchronized byte[] exchange(byte[] requestFrame, String command) {
    for (int attempt = 0; ; attempt++) {
      UnixConnection current = connection != null ? connection
          : UnixConnection.open(settings.socket(), settings.connectTimeout());
      connection = null;
      try {
        byte[] reply = current.exchange(requestFrame, settings.readTimeout(), command);
        if (settings.reuseConnection()) {
          connection = current;
        } else {
          current.close();
        }
        return reply;
      } catch (UnixConnection.ClosedBeforeReplyException e) {
        current.close();
        if (!e.stale() || attempt > 0) {
          throw e;
        }
        // A reused connection that fail2ban closed while idle: the request never left; retry once.
      } catch (RuntimeException e) {
        current.close();
        throw e;
      }
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
