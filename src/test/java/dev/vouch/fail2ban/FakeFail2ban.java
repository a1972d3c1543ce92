package dev.vouch.fail2ban;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written stand-in for fail2ban's socket, for failures a real fail2ban does not produce on
 * demand: silence, a trickle, a hang-up, garbage. Uses the JDK's own Unix sockets, so it shares no
 * code with the client under test. Each accepted connection is handed to the behaviour on the
 * thread {@code fake-fail2ban}.
 */
final class FakeFail2ban implements AutoCloseable {
  /** What the fake does with one accepted connection. */
  interface Behaviour {
    void serve(SocketChannel connection) throws IOException, InterruptedException;
  }

  private final Path socket;
  private final ServerSocketChannel server;
  private final Thread acceptor;
  private final List<SocketChannel> connections = new ArrayList<>();

  private FakeFail2ban(
      Path socket, ServerSocketChannel server, Behaviour behaviour, boolean accept) {
    this.socket = socket;
    this.server = server;
    this.acceptor = new Thread(() -> run(behaviour, accept), "fake-fail2ban");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens at {@code socket} and serves each connection with {@code behaviour}. */
  static FakeFail2ban serving(Path socket, Behaviour behaviour) {
    return new FakeFail2ban(socket, bind(socket, 50), behaviour, true);
  }

  /** Listens with a backlog of 1 and never accepts: connects queue up until the backlog is full. */
  static FakeFail2ban neverAccepting(Path socket) {
    return new FakeFail2ban(socket, bind(socket, 1), connection -> {}, false);
  }

  /** Reads one request frame up to the END marker. */
  static byte[] readRequest(SocketChannel connection) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    while (!Frame.endsWithEnd(buffer.array(), buffer.position())) {
      if (connection.read(buffer) < 0) {
        break;
      }
    }
    return java.util.Arrays.copyOf(buffer.array(), buffer.position());
  }

  /** Holds a connection open without answering, until the fake is closed. */
  static void holdOpen(SocketChannel connection) throws InterruptedException {
    Thread.sleep(Long.MAX_VALUE);
  }

  Path socket() {
    return socket;
  }

  private static ServerSocketChannel bind(Path socket, int backlog) {
    try {
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket), backlog);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void run(Behaviour behaviour, boolean accept) {
    if (!accept) {
      return;
    }
    while (server.isOpen()) {
      try (SocketChannel connection = server.accept()) {
        synchronized (connections) {
          connections.add(connection);
        }
        behaviour.serve(connection);
      } catch (IOException | InterruptedException e) {
        return; // closed by close(), or the client went away: the fake's job is done
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
    synchronized (connections) {
      for (SocketChannel connection : connections) {
        connection.close();
      }
    }
    Files.deleteIfExists(socket);
  }
}
