package dev.vouch.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The command line's end of the control socket. It uses the JDK's own Unix sockets, not jnr, so
 * that forwarding a command loads no native library: a forwarded command starts and answers in a
 * few tens of milliseconds.
 */
public final class ControlClient {
  private ControlClient() {}

  /**
   * Sends one request and waits at most {@code timeout} for the answer.
   *
   * @throws DaemonUnreachableException when no daemon listens (no socket, refused, no answer)
   * @throws ControlException when the socket may not be used (permission)
   */
  public static ControlResponse call(Path socket, ControlRequest request, Duration timeout) {
    if (!Files.exists(socket)) {
      throw new DaemonUnreachableException("no vouch daemon: " + socket + " does not exist", null);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (ConnectException e) {
        throw new DaemonUnreachableException("no vouch daemon answers on " + socket, e);
      } catch (AccessDeniedException e) {
        throw new ControlException("permission denied on " + socket + ": the daemon accepts"
            + " root, its own user and its socket's group; run as one of them (e.g. with sudo)",
            e);
      }
      ByteBuffer out = ByteBuffer.wrap(Wire.request(request).getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      channel.configureBlocking(false);
      try (Selector selector = Selector.open()) {
        channel.register(selector, SelectionKey.OP_READ);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(16384);
        while (true) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0 || selector.select(left) == 0 && System.nanoTime() >= deadline) {
            throw new DaemonUnreachableException("the vouch daemon on " + socket
                + " did not answer within " + timeout.toSeconds() + "s", null);
          }
          selector.selectedKeys().clear();
          buffer.clear();
          int read = channel.read(buffer);
          if (read < 0) {
            throw new DaemonUnreachableException("the vouch daemon on " + socket
                + " closed the connection without an answer", null);
          }
          for (int i = 0; i < read; i++) {
            if (buffer.get(i) == '\n') {
              answer.write(buffer.array(), 0, i);
              return parse(socket, answer.toString(StandardCharsets.UTF_8));
            }
          }
          answer.write(buffer.array(), 0, read);
        }
      }
    } catch (IOException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      if (message.contains("Permission denied")) {
        throw new ControlException("permission denied on " + socket + ": run the command as"
            + " root, the daemon's user or a member of the socket's group (e.g. with sudo)", e);
      }
      throw new DaemonUnreachableException("cannot talk to the vouch daemon on " + socket + ": "
          + message, e);
    }
  }

  private static ControlResponse parse(Path socket, String line) {
    try {
      return Wire.parseResponse(line);
    } catch (IllegalArgumentException e) {
      throw new ControlException("the daemon on " + socket + " sent an answer this command"
          + " cannot read (" + e.getMessage() + "): is it another version of vouch? Restart it"
          + " with this one.", e);
    }
  }
}
