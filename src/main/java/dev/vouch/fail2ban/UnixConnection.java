package dev.vouch.fail2ban;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import jnr.constants.platform.Errno;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;

/**
 * One connection to fail2ban's Unix socket over jnr-unixsocket, with the deadlines applied through
 * {@code SO_SNDTIMEO} and {@code SO_RCVTIMEO}: on Linux a blocking connect waits on a full backlog
 * for at most {@code SO_SNDTIMEO} (fail2ban listens with a backlog of 1 and serves one command at a
 * time, so a busy fail2ban really does leave a connect waiting). Confined to one thread.
 */
final class UnixConnection implements AutoCloseable {
  private static final int READ_CHUNK = 64 * 1024;
  /** More than any real reply (10,000 ignore entries are about 250 KB); bounds a runaway peer. */
  static final int MAX_REPLY_BYTES = 64 * 1024 * 1024;
  /** Linux's {@code sun_path} holds 108 bytes, the last one the terminating NUL. */
  private static final int MAX_PATH_BYTES = 107;

  private final Path socket;
  private final UnixSocketChannel channel;
  private boolean used;

  private UnixConnection(Path socket, UnixSocketChannel channel) {
    this.socket = socket;
    this.channel = channel;
  }

  /**
   * Connects to {@code socket} within {@code timeout}.
   *
   * @throws Fail2banUnreachableException when the socket is missing or refuses the connection
   * @throws Fail2banPermissionException when the socket's mode does not let this user in
   * @throws Fail2banTimeoutException when fail2ban does not accept within the timeout
   */
  static UnixConnection open(Path socket, Duration timeout) {
    // jnr copies the path into sun_path and would silently cut a longer one: another socket.
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new Fail2banUnreachableException(socket, "cannot use fail2ban's socket path " + socket
          + ": a Unix socket path has at most " + MAX_PATH_BYTES + " bytes. Point [fail2ban]"
          + " socket in vouch.conf at a shorter path (a symbolic link to the socket works).");
    }
    UnixSocketChannel channel;
    try {
      channel = UnixSocketChannel.open();
    } catch (IOException e) {
      throw new Fail2banException("cannot open a Unix socket: " + e.getMessage(), e);
    }
    try {
      channel.setOption(UnixSocketOptions.SO_SNDTIMEO, millis(timeout));
      if (!channel.connect(new UnixSocketAddress(socket.toFile()))) {
        // A blocking connect only gives up with EAGAIN: the backlog stayed full for the timeout.
        throw Fail2banTimeoutException.connecting(socket, timeout);
      }
      return new UnixConnection(socket, channel);
    } catch (IOException e) {
      closeQuietly(channel);
      throw connectFailure(socket, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static Fail2banException connectFailure(Path socket, IOException e) {
    String reason = String.valueOf(e.getMessage());
    if (reason.equals(Errno.EACCES.toString()) || reason.equals(Errno.EPERM.toString())) {
      return new Fail2banPermissionException(socket, e);
    }
    if (reason.equals(Errno.ECONNREFUSED.toString())) {
      return Fail2banUnreachableException.notRunning(socket,
          "connection refused: the socket file is there but nothing listens on it", e);
    }
    if (reason.equals(Errno.ENOENT.toString())) {
      return Fail2banUnreachableException.notRunning(socket, "no socket file", e);
    }
    return Fail2banUnreachableException.notRunning(socket, reason, e);
  }

  /** True once a request went over this connection (a reused one may have gone stale since). */
  boolean used() {
    return used;
  }

  /**
   * Sends one request frame and reads the reply up to its END marker, all within {@code timeout}.
   * Returns the pickle without the marker.
   *
   * @throws Fail2banTimeoutException when the reply is not complete in time
   * @throws ClosedBeforeReplyException when fail2ban closes the connection first
   * @throws Fail2banProtocolException when the reply grows past {@link #MAX_REPLY_BYTES}
   */
  byte[] exchange(byte[] request, Duration timeout, String command) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean wasUsed = used;
    used = true;
    try {
      write(request, deadline, timeout, command);
    } catch (IOException e) {
      // EPIPE or ECONNRESET before fail2ban read a byte: on a reused connection, fail2ban closed it
      // while it sat idle (a restart), and the request never arrived.
      throw new ClosedBeforeReplyException(socket, command, wasUsed, e);
    }
    try {
      return read(deadline, timeout, command);
    } catch (IOException e) {
      // The request went out: fail2ban may have run it, so this is never retried.
      throw new ClosedBeforeReplyException(socket, command, false, e);
    }
  }

  private void write(byte[] request, long deadline, Duration timeout, String command)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(request);
    while (buffer.hasRemaining()) {
      channel.setOption(UnixSocketOptions.SO_SNDTIMEO, remainingMillis(deadline, timeout, command));
      channel.write(buffer); // 0 when SO_SNDTIMEO ran out; the loop checks the deadline
    }
  }

  private byte[] read(long deadline, Duration timeout, String command) throws IOException {
    byte[] reply = new byte[1024];
    int length = 0;
    ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
    while (!Frame.endsWithEnd(reply, length)) {
      channel.setOption(UnixSocketOptions.SO_RCVTIMEO, remainingMillis(deadline, timeout, command));
      chunk.clear();
      int count = channel.read(chunk); // 0 when SO_RCVTIMEO ran out, -1 at end of stream
      if (count < 0) {
        throw new ClosedBeforeReplyException(socket, command, false, null);
      }
      if (length + count > MAX_REPLY_BYTES) {
        throw new Fail2banProtocolException("fail2ban at " + socket + " sent more than "
            + MAX_REPLY_BYTES / (1024 * 1024) + " MiB for '" + command
            + "' without ending the reply; vouch gave up reading it.");
      }
      if (length + count > reply.length) {
        reply = Arrays.copyOf(reply, Math.max(reply.length * 2, length + count));
      }
      chunk.flip();
      chunk.get(reply, length, count);
      length += count;
    }
    return Arrays.copyOf(reply, length - Frame.END.length);
  }

  private int remainingMillis(long deadline, Duration timeout, String command) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw Fail2banTimeoutException.answering(socket, timeout, command);
    }
    // At least 1 ms: a zero SO_RCVTIMEO would mean "wait forever".
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000));
  }

  private static int millis(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  /** Asks fail2ban to close its side (CLOSE frame), then closes ours. Never throws. */
  @Override
  public void close() {
    if (channel.isOpen() && used) {
      try {
        channel.setOption(UnixSocketOptions.SO_SNDTIMEO, 100);
        channel.write(ByteBuffer.wrap(Frame.CLOSE));
      } catch (IOException | RuntimeException ignored) {
        // Best effort: fail2ban also cleans up when the connection just drops.
      }
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(UnixSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing is left to release or report once close fails.
    }
  }

  /**
   * fail2ban closed the connection (or reset it) before the reply was complete: it is stopping, or
   * a reused connection outlived the server it was made to.
   */
  static final class ClosedBeforeReplyException extends Fail2banUnreachableException {
    private final boolean stale;

    ClosedBeforeReplyException(Path socket, String command, boolean stale, Throwable cause) {
      super(socket, "fail2ban at " + socket + " closed the connection before answering '" + command
          + "': it is stopping or restarting. vouch syncs again once it answers.", cause);
      this.stale = stale;
    }

    /** True when a reused connection was closed before the request went out: safe to retry. */
    boolean stale() {
      return stale;
    }
  }
}
