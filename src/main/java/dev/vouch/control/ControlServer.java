package dev.vouch.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;

/**
 * The daemon's end of the control socket: accepts on its own thread ({@code control}), answers
 * each connection on a small pool ({@code control-N}). The socket file is created with mode 0660
 * (group: the configured one), and each peer is checked by the credentials the kernel reports
 * for it; anyone else gets a refusal that says who may connect. Close it to stop.
 */
public final class ControlServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.control");
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  /** Runs one request; called on a pool thread. */
  @FunctionalInterface
  public interface Handler {
    ControlResponse handle(ControlRequest request, Peer peer);
  }

  private final Path socket;
  private final AccessPolicy policy;
  private final Optional<String> group;
  private final Handler handler;
  private final ExecutorService pool;
  private UnixServerSocketChannel server;
  private Thread acceptor;
  private volatile boolean closed;

  public ControlServer(Path socket, AccessPolicy policy, Optional<String> group, Handler handler) {
    this.socket = socket.toAbsolutePath();
    this.policy = policy;
    this.group = group;
    this.handler = handler;
    AtomicInteger count = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(4, task -> {
      Thread thread = new Thread(task, "control-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Binds the socket (replacing a stale file no daemon answers on) and starts accepting.
   *
   * @throws ControlException when another daemon answers there, or the socket cannot be made
   */
  public void start() {
    try {
      Files.createDirectories(socket.getParent());
      if (Files.exists(socket)) {
        try {
          ControlClient.call(socket, new ControlRequest(java.util.List.of("--version"),
              Optional.empty()), Duration.ofSeconds(2));
          throw new ControlException("another vouch daemon answers on " + socket
              + "; stop it first, or set socket in vouch.conf (or --socket) for this one", null);
        } catch (DaemonUnreachableException stale) {
          Files.delete(socket);
        }
      }
      server = UnixServerSocketChannel.open();
      server.socket().bind(new UnixSocketAddress(socket.toFile()));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
      if (group.isPresent()) {
        GroupPrincipal principal = socket.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByGroupName(group.get());
        Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(principal);
      }
    } catch (IOException e) {
      throw new ControlException("cannot create the control socket " + socket + ": "
          + e.getMessage() + ". Check that " + socket.getParent()
          + " exists and is writable, or set socket in vouch.conf (or --socket).", e);
    }
    acceptor = new Thread(this::accept, "control");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public Path socket() {
    return socket;
  }

  private void accept() {
    while (!closed) {
      try {
        UnixSocketChannel connection = server.accept();
        if (connection != null) {
          pool.execute(() -> serve(connection));
        }
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.ERROR, "control socket: " + e.getMessage());
        }
      }
    }
  }

  private void serve(UnixSocketChannel connection) {
    try (connection) {
      connection.setOption(UnixSocketOptions.SO_RCVTIMEO, READ_TIMEOUT_MILLIS);
      Peer peer = peer(connection.getOption(UnixSocketOptions.SO_PEERCRED));
      String line = readLine(connection);
      if (line == null) {
        return;
      }
      ControlResponse response;
      if (!policy.allows(peer)) {
        LOG.log(Level.WARNING, "control socket: refused uid {0} (pid {1})", peer.uid(),
            peer.pid());
        response = new ControlResponse(1, "", "vouch: permission denied: the vouch daemon on "
            + socket + " takes commands from root, its own user" + group.map(name -> " and"
                + " group " + name).orElse("") + " only, and you are uid " + peer.uid()
            + ". Run the command as one of them (e.g. with sudo)" + group.map(name -> ", or join"
                + " group " + name).orElse(", or set socketgroup in vouch.conf to a group of"
                + " yours") + ".\n");
      } else {
        ControlRequest request;
        try {
          request = Wire.parseRequest(line);
        } catch (RuntimeException e) {
          write(connection, Wire.response(new ControlResponse(2, "",
              "vouch: a malformed request on the control socket\n")));
          return;
        }
        response = handler.handle(request, peer);
      }
      write(connection, Wire.response(response));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "control socket: a request failed: " + e.getMessage());
    }
  }

  private static Peer peer(Credentials credentials) {
    return new Peer(credentials.getPid(), credentials.getUid(), credentials.getGid(),
        supplementaryGroups(credentials.getPid()));
  }

  /** The peer's supplementary groups, from /proc (the kernel's credentials hold only one). */
  private static Set<Integer> supplementaryGroups(int pid) {
    Set<Integer> groups = new HashSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("Groups:")) {
          for (String gid : line.substring(7).trim().split("\\s+")) {
            if (!gid.isEmpty()) {
              groups.add(Integer.parseInt(gid));
            }
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Without /proc only the primary group counts.
    }
    return groups;
  }

  private static String readLine(UnixSocketChannel connection) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    while (bytes.size() < Wire.MAX_REQUEST) {
      buffer.clear();
      int read = connection.read(buffer);
      if (read <= 0) {
        return null; // closed, or silent past the read timeout
      }
      for (int i = 0; i < read; i++) {
        if (buffer.get(i) == '\n') {
          bytes.write(buffer.array(), 0, i);
          return bytes.toString(StandardCharsets.UTF_8);
        }
      }
      bytes.write(buffer.array(), 0, read);
    }
    return null;
  }

  private static void write(UnixSocketChannel connection, String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      connection.write(buffer);
    }
  }

  /** Stops accepting, lets running requests finish (a few seconds at most), removes the file. */
  @Override
  public void close() {
    closed = true;
    try {
      if (server != null) {
        server.close();
      }
    } catch (IOException ignored) {
      // Closing the listener cannot lose a request: running ones are on the pool.
    }
    pool.shutdown();
    try {
      pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // A leftover socket file is replaced at the next start.
    }
  }
}
