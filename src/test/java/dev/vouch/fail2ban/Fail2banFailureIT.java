package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the client fails when fail2ban is absent or misbehaves; no fail2ban runs here. */
class Fail2banFailureIT {
  private static final Duration SHORT = Duration.ofMillis(700);

  @TempDir Path dir;

  @Test
  void aMissingSocketMeansFail2banIsNotRunning() {
    Path socket = dir.resolve("fail2ban.sock");

    Fail2banUnreachableException error =
        assertThrows(Fail2banUnreachableException.class, () -> Fail2banClient.at(socket).ping());

    assertEquals("cannot reach fail2ban at " + socket + " (no socket file): is fail2ban running?"
        + " Set [fail2ban] socket in vouch.conf if it lives elsewhere.", error.getMessage());
    assertEquals(socket, error.socket());
  }

  @Test
  void aStaleSocketFileWithNoListenerIsRefused() throws IOException {
    Path socket = dir.resolve("fail2ban.sock");
    // Bound and closed: the file stays, as after a crash of fail2ban.
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
    }
    assertTrue(Files.exists(socket));

    Fail2banUnreachableException error =
        assertThrows(Fail2banUnreachableException.class, () -> Fail2banClient.at(socket).ping());

    assertEquals("cannot reach fail2ban at " + socket + " (connection refused: the socket file is"
        + " there but nothing listens on it): is fail2ban running? Set [fail2ban] socket in"
        + " vouch.conf if it lives elsewhere.", error.getMessage());
  }

  @Test
  void aSocketPathTooLongForSunPathIsRefusedNotCut() {
    Path socket = dir.resolve("d".repeat(120) + ".sock");

    Fail2banUnreachableException error =
        assertThrows(Fail2banUnreachableException.class, () -> Fail2banClient.at(socket).ping());

    assertTrue(error.getMessage().startsWith("cannot use fail2ban's socket path " + socket
        + ": a Unix socket path has at most 107 bytes."), error.getMessage());
  }

  @Test
  void aServerThatNeverAnswersTimesOutOnTime() throws IOException {
    Path socket = dir.resolve("silent.sock");
    try (FakeFail2ban fake = FakeFail2ban.serving(socket, FakeFail2ban::holdOpen);
        Fail2banClient client = client(fake.socket())) {
      long started = System.nanoTime();
      Fail2banTimeoutException error = assertThrows(Fail2banTimeoutException.class, client::ping);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertEquals("fail2ban at " + socket + " did not answer 'ping' within 700 ms: it serves one"
          + " command at a time and may be busy with a slow action (see fail2ban's log). The"
          + " command may still take effect; raise the timeout if fail2ban's actions are slow.",
          error.getMessage());
      assertEquals(SHORT, error.timeout());
      assertBetween(SHORT, SHORT.plusSeconds(2), took);
    }
  }

  @Test
  void aTrickleOfBytesCannotStretchTheDeadline() throws IOException {
    Path socket = dir.resolve("trickle.sock");
    FakeFail2ban.Behaviour trickle = connection -> {
      FakeFail2ban.readRequest(connection);
      while (true) {
        connection.write(ByteBuffer.wrap(new byte[] {0x4b}));
        Thread.sleep(50);
      }
    };
    try (FakeFail2ban fake = FakeFail2ban.serving(socket, trickle);
        Fail2banClient client = client(fake.socket())) {
      long started = System.nanoTime();
      assertThrows(Fail2banTimeoutException.class, client::ping);

      assertBetween(SHORT, SHORT.plusSeconds(2), Duration.ofNanos(System.nanoTime() - started));
    }
  }

  @Test
  void aFullBacklogTimesOutTheConnect() throws IOException {
    Path socket = dir.resolve("busy.sock");
    List<SocketChannel> queued = new ArrayList<>();
    try (FakeFail2ban fake = FakeFail2ban.neverAccepting(socket)) {
      // Fill the backlog as earlier callers of a busy fail2ban would.
      while (queued.size() < 16) {
        SocketChannel other = SocketChannel.open(StandardProtocolFamily.UNIX);
        other.configureBlocking(false);
        try {
          other.connect(UnixDomainSocketAddress.of(fake.socket()));
          queued.add(other);
        } catch (IOException full) {
          other.close();
          break;
        }
      }
      Fail2banSettings settings = Fail2banSettings.of(fake.socket()).withConnectTimeout(SHORT);
      long started = System.nanoTime();

      Fail2banTimeoutException error = assertThrows(Fail2banTimeoutException.class,
          () -> new Fail2banClient(settings).ping());

      assertTrue(error.getMessage().startsWith("fail2ban at " + socket
          + " did not accept a connection within 700 ms"), error.getMessage());
      assertBetween(SHORT, SHORT.plusSeconds(2), Duration.ofNanos(System.nanoTime() - started));
    } finally {
      for (SocketChannel other : queued) {
        other.close();
      }
    }
  }

  @Test
  void aHangUpBeforeTheReplyIsReported() throws IOException {
    Path socket = dir.resolve("hangup.sock");
    try (FakeFail2ban fake = FakeFail2ban.serving(socket, FakeFail2ban::readRequest);
        Fail2banClient client = client(fake.socket())) {
      Fail2banUnreachableException error =
          assertThrows(Fail2banUnreachableException.class, client::ping);

      assertEquals("fail2ban at " + socket + " closed the connection before answering 'ping': it"
          + " is stopping or restarting. vouch syncs again once it answers.", error.getMessage());
    }
  }

  @Test
  void bytesThatAreNoPickleAreAProtocolError() throws IOException {
    Path socket = dir.resolve("garbage.sock");
    FakeFail2ban.Behaviour garbage = connection -> {
      FakeFail2ban.readRequest(connection);
      connection.write(ByteBuffer.wrap("HTTP/1.1 400<F2B_END_COMMAND>".getBytes()));
    };
    try (FakeFail2ban fake = FakeFail2ban.serving(socket, garbage);
        Fail2banClient client = client(fake.socket())) {
      Fail2banProtocolException error =
          assertThrows(Fail2banProtocolException.class, client::version);

      assertEquals("fail2ban at " + socket + " answered 'version' with bytes vouch cannot read"
          + " (unsupported pickle opcode 0x48 at byte 0 of 12). Is this fail2ban 1.0?",
          error.getMessage());
    }
  }

  @Test
  void aReplyOfTheWrongTypeIsAProtocolError() throws IOException {
    Path socket = dir.resolve("odd.sock");
    FakeFail2ban.Behaviour odd = connection -> {
      while (connection.isOpen()) {
        FakeFail2ban.readRequest(connection);
        // (0, 42): a well-formed reply, but no version string.
        connection.write(ByteBuffer.wrap(Hex.bytes("80 05 4b 00 4b 2a 86 2e")));
        connection.write(ByteBuffer.wrap(Frame.END));
      }
    };
    try (FakeFail2ban fake = FakeFail2ban.serving(socket, odd);
        Fail2banClient client = client(fake.socket())) {
      Fail2banProtocolException error =
          assertThrows(Fail2banProtocolException.class, client::version);

      assertEquals("fail2ban answered 'version' with 42 where its protocol has a str. Is this"
          + " fail2ban 1.0?", error.getMessage());
    }
  }

  @Test
  void aRequestWithTheFrameMarkerNeverLeaves() throws IOException {
    Path socket = dir.resolve("unused.sock");
    List<byte[]> received = new CopyOnWriteArrayList<>();
    FakeFail2ban.Behaviour record =
        connection -> received.add(FakeFail2ban.readRequest(connection));
    try (FakeFail2ban fake = FakeFail2ban.serving(socket, record);
        Fail2banClient client = client(fake.socket())) {
      Fail2banRequestException error = assertThrows(Fail2banRequestException.class,
          () -> client.addIgnoreIp("sshd", new IpEntry.Name("evil<F2B_END_COMMAND>")));

      assertTrue(error.getMessage().contains("fail2ban's frame marker <F2B_END_COMMAND>"),
          error.getMessage());
      assertTrue(received.isEmpty());
    }
  }

  private static Fail2banClient client(Path socket) {
    return new Fail2banClient(Fail2banSettings.of(socket).withReadTimeout(SHORT));
  }

  private static void assertBetween(Duration low, Duration high, Duration actual) {
    assertTrue(actual.compareTo(low.minusMillis(50)) >= 0 && actual.compareTo(high) <= 0,
        "took " + actual.toMillis() + " ms, expected " + low.toMillis() + " to " + high.toMillis());
  }
}
