package dev.vouch.fail2ban;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private, real {@code fail2ban-server} 1.0.2 for tests, run from the Debian package the build
 * unpacks into {@code target/fail2ban} (reference §8), with everything in one directory: its
 * config, socket, pid file, log, database, the jails' log files and the dummy actions' files.
 * Jails use {@code backend = polling} and the {@code dummy} action, so no firewall is ever touched,
 * and neither {@code /etc/fail2ban} nor {@code /run/fail2ban} is read or written.
 *
 * <pre>{@code
 * try (Fail2banServer fail2ban = Fail2banServer.builder(tempDir).jail("sshd").start()) {
 *   Fail2banClient client = fail2ban.client();
 *   client.addIgnoreIp("sshd", IpEntry.parse("192.0.2.7"));
 *   fail2ban.fail2banClient("get", "sshd", "ignoreip"); // the stock client, for comparison
 *   fail2ban.appendLog("sshd", "auth failure from 203.0.113.9");
 * }
 * }</pre>
 *
 * <p>A default jail watches {@code DIR/JAIL.log} with the filter {@code vouch-test}
 * ({@value #TEST_FAILREGEX}, lines without dates), bans after 3 failures in 10 minutes for 10
 * minutes, and records bans in {@code DIR/JAIL.dummy}. {@link #close()} always leaves no process
 * behind (stop, then kill); the directory itself belongs to the caller ({@code @TempDir}).
 */
public final class Fail2banServer implements AutoCloseable {
  /** The failregex of the {@code vouch-test} filter every default jail uses. */
  public static final String TEST_FAILREGEX = "^auth failure from <HOST>$";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private final Path directory;
  private final Path root;
  private final List<String> jails;
  private final AtomicInteger clientRuns = new AtomicInteger();
  private Process process;
  private Thread cleanup;

  private Fail2banServer(Path directory, Path root, List<String> jails) {
    this.directory = directory;
    this.root = root;
    this.jails = jails.stream().sorted().toList();
  }

  /** A server whose files all go in {@code directory} (short enough for a socket path). */
  public static Builder builder(Path directory) {
    return new Builder(directory.toAbsolutePath());
  }

  /** Starts a server with default jails of these names. */
  public static Fail2banServer start(Path directory, String... jails) {
    Builder builder = builder(directory);
    for (String jail : jails) {
      builder.jail(jail);
    }
    return builder.start();
  }

  /** What a run of the stock {@code fail2ban-client} printed. */
  public record ClientRun(int exitCode, String stdout, String stderr, Duration elapsed) {}

  /** Configures and starts a {@link Fail2banServer}. */
  public static final class Builder {
    private final Path directory;
    private final Map<String, Map<String, String>> jails = new LinkedHashMap<>();
    private final Map<String, String> filters = new LinkedHashMap<>();
    private final Map<String, String> actions = new LinkedHashMap<>();
    private final List<String> packageFilters = new ArrayList<>();

    private Builder(Path directory) {
      this.directory = directory;
      filters.put("vouch-test", "[Definition]\nfailregex = " + TEST_FAILREGEX
          + "\ndatepattern = {NONE}\n");
    }

    /** A default jail (see the class comment). */
    public Builder jail(String name) {
      return jail(name, Map.of());
    }

    /**
     * A jail with some of its keys set or overridden, e.g. {@code ignoreip}, {@code logpath} (a
     * glob is fine), {@code action}, {@code maxretry}.
     */
    public Builder jail(String name, Map<String, String> options) {
      Map<String, String> jail = new LinkedHashMap<>();
      jail.put("enabled", "true");
      jail.put("filter", "vouch-test");
      jail.put("logpath", directory.resolve(name + ".log").toString());
      jail.put("action", "dummy[target=\"" + directory.resolve(name + ".dummy") + "\"]");
      jail.putAll(options);
      jails.put(name, jail);
      return this;
    }

    /** A filter written by the test: {@code content} of {@code filter.d/NAME.conf}. */
    public Builder filter(String name, String content) {
      filters.put(name, content);
      return this;
    }

    /** A filter copied from the package's {@code filter.d} (e.g. {@code sshd}). */
    public Builder packageFilter(String name) {
      packageFilters.add(name);
      return this;
    }

    /** An action written by the test: {@code content} of {@code action.d/NAME.conf}. */
    public Builder action(String name, String content) {
      actions.put(name, content);
      return this;
    }

    public Fail2banServer start() {
      Fail2banServer server =
          new Fail2banServer(directory, fail2banRoot(), List.copyOf(jails.keySet()));
      try {
        server.writeConfig(jails, filters, actions, packageFilters);
        server.launch();
        return server;
      } catch (IOException e) {
        server.close();
        throw new UncheckedIOException(e);
      } catch (RuntimeException | Error e) {
        server.close();
        throw e;
      }
    }
  }

  private static Path fail2banRoot() {
    String configured = System.getProperty("fail2ban.root");
    Path root = configured != null ? Path.of(configured)
        : Path.of(System.getProperty("vouch.project", "."), "target", "fail2ban");
    if (!Files.isRegularFile(root.resolve("usr/bin/fail2ban-server"))) {
      throw new IllegalStateException("no fail2ban package at " + root.toAbsolutePath()
          + ": run the build's process-test-resources phase (src/test/sh/fetch-fail2ban)");
    }
    return root.toAbsolutePath();
  }

  public Path directory() {
    return directory;
  }

  public Path configDirectory() {
    return directory.resolve("conf");
  }

  public Path socket() {
    return directory.resolve("fail2ban.sock");
  }

  /** fail2ban's own log (its logtarget). */
  public Path serverLog() {
    return directory.resolve("fail2ban.log");
  }

  /** The log file a default jail watches. */
  public Path logFile(String jail) {
    return directory.resolve(jail + ".log");
  }

  /** Settings for this server's socket with the default timeouts. */
  public Fail2banSettings settings() {
    return Fail2banSettings.of(socket());
  }

  /** A new client of this server with the default timeouts. */
  public Fail2banClient client() {
    return new Fail2banClient(settings());
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Appends lines to the log a default jail watches (the polling backend sees them within 1 s). */
  public void appendLog(String jail, String... lines) {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    try {
      Files.writeString(logFile(jail), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the stock {@code fail2ban-client -c CONF -s SOCK ARGS} and returns what it printed. */
  public ClientRun fail2banClient(String... args) {
    return fail2banClientWithInput(new byte[0], args);
  }

  /** {@link #fail2banClient}, with {@code input} on its standard input (e.g. for {@code -i}). */
  public ClientRun fail2banClientWithInput(byte[] input, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(),
        root.resolve("usr/bin/fail2ban-client").toString(), "-c", configDirectory().toString(),
        "-s", socket().toString()));
    command.addAll(List.of(args));
    int run = clientRuns.incrementAndGet();
    Path out = directory.resolve("client-" + run + ".out");
    Path err = directory.resolve("client-" + run + ".err");
    Path in = directory.resolve("client-" + run + ".in");
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(in.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    environment(builder);
    long started = System.nanoTime();
    try {
      Files.write(in, input);
      Process client = builder.start();
      if (!client.waitFor(input.length == 0 ? 60 : 3600, TimeUnit.SECONDS)) {
        client.destroyForcibly().waitFor();
        throw new IllegalStateException("fail2ban-client " + String.join(" ", args)
            + " did not finish within 60 s");
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      return new ClientRun(client.exitValue(), Files.readString(out), Files.readString(err),
          elapsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fail2ban-client ran", e);
    }
  }

  /** {@code fail2ban-client reload}: re-reads the config, which drops runtime ignore entries. */
  public ClientRun reload() {
    ClientRun run = fail2banClient("reload");
    if (run.exitCode() != 0) {
      throw new IllegalStateException("fail2ban-client reload failed: " + run);
    }
    return run;
  }

  /**
   * Stops the server as an admin would (the {@code stop} command, answered once every jail has
   * stopped), waits for the process to exit, and kills it if it does not within 30 s.
   */
  public void stop() {
    if (!isRunning()) {
      return;
    }
    Fail2banSettings settings = settings().withReadTimeout(STOP_TIMEOUT);
    try (Fail2banClient client = new Fail2banClient(settings)) {
      client.call("stop");
    } catch (Fail2banException e) {
      // Already stopping or gone: waiting for the process below is all that is left to do.
    }
    awaitExit();
  }

  /** Kills the server with SIGKILL, as a crash would: the socket file stays behind. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      awaitExit();
    }
  }

  /** Stops the server and starts it again with the same config and socket. */
  public void restart() {
    stop();
    launch();
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      kill();
      if (cleanup != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
          // The JVM is already shutting down and runs the hook itself.
        }
        cleanup = null;
      }
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void launch() {
    List<String> command = List.of(PYTHON.toString(),
        root.resolve("usr/bin/fail2ban-server").toString(), "-f", "-x",
        "-c", configDirectory().toString(), "-s", socket().toString(),
        "-p", directory.resolve("fail2ban.pid").toString(), "--logtarget", serverLog().toString());
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("server.out").toFile()));
    environment(builder);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    if (cleanup == null) {
      cleanup = new Thread(() -> {
        if (process != null) {
          process.destroyForcibly();
        }
      }, "fail2ban-server-cleanup");
      Runtime.getRuntime().addShutdownHook(cleanup);
    }
    awaitReady();
  }

  /**
   * Waits until the server lists every configured jail. It answers ping before it is configured:
   * fail2ban-server configures itself through its own socket with one {@code server-stream}
   * command, so once {@code status} shows the jails, that whole stream has run.
   */
  private void awaitReady() {
    Fail2banSettings quick = settings()
        .withConnectTimeout(Duration.ofMillis(500)).withReadTimeout(Duration.ofSeconds(2));
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    Fail2banException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("fail2ban-server exited with " + process.exitValue()
            + " before it was ready\n" + diagnostics());
      }
      try (Fail2banClient client = new Fail2banClient(quick)) {
        if (client.jails().equals(jails)) {
          return;
        }
      } catch (Fail2banException e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while fail2ban-server started", e);
      }
    }
    throw new IllegalStateException("fail2ban-server did not list the jails " + jails + " within "
        + START_TIMEOUT.toSeconds() + " s (last error: " + last + ")\n" + diagnostics());
  }

  /** The server's console output and log, for a failed start. */
  public String diagnostics() {
    StringBuilder text = new StringBuilder();
    for (Path file : List.of(directory.resolve("server.out"), serverLog())) {
      text.append("--- ").append(file).append('\n');
      try {
        text.append(Files.exists(file) ? Files.readString(file) : "(missing)\n");
      } catch (IOException e) {
        text.append("(unreadable: ").append(e.getMessage()).append(")\n");
      }
    }
    return text.toString();
  }

  private void environment(ProcessBuilder builder) {
    Map<String, String> environment = builder.environment();
    environment.put("PYTHONPATH", root.resolve("usr/lib/python3/dist-packages").toString());
    environment.put("PYTHONDONTWRITEBYTECODE", "1");
    environment.put("PYTHONWARNINGS", "ignore::DeprecationWarning");
    environment.put("LANG", "C.UTF-8");
  }

  private void writeConfig(Map<String, Map<String, String>> jails, Map<String, String> filters,
      Map<String, String> actions, List<String> packageFilters) throws IOException {
    // sun_path holds 108 bytes; a longer socket path would fail far from its cause.
    if (socket().toString().getBytes(StandardCharsets.UTF_8).length > 100) {
      throw new IllegalArgumentException("socket path too long for a Unix socket: " + socket()
          + " (use a shorter directory)");
    }
    Path config = configDirectory();
    Path packageConfig = root.resolve("etc/fail2ban");
    Files.createDirectories(config.resolve("filter.d"));
    Files.createDirectories(config.resolve("action.d"));
    for (String file : List.of("filter.d/common.conf", "action.d/dummy.conf")) {
      Files.copy(packageConfig.resolve(file), config.resolve(file));
    }
    for (String name : packageFilters) {
      Files.copy(packageConfig.resolve("filter.d/" + name + ".conf"),
          config.resolve("filter.d/" + name + ".conf"));
    }
    for (Map.Entry<String, String> filter : filters.entrySet()) {
      Files.writeString(config.resolve("filter.d/" + filter.getKey() + ".conf"), filter.getValue());
    }
    for (Map.Entry<String, String> action : actions.entrySet()) {
      Files.writeString(config.resolve("action.d/" + action.getKey() + ".conf"), action.getValue());
    }
    Files.writeString(config.resolve("fail2ban.conf"), String.join("\n",
        "[Definition]",
        "loglevel = INFO",
        "logtarget = " + serverLog(),
        "syslogsocket = auto",
        "socket = " + socket(),
        "pidfile = " + directory.resolve("fail2ban.pid"),
        "dbfile = " + directory.resolve("fail2ban.sqlite3"),
        "dbpurgeage = 1d",
        "dbmaxmatches = 10",
        "allowipv6 = auto",
        ""));
    StringBuilder jailConf = new StringBuilder(String.join("\n",
        "[DEFAULT]",
        "backend = polling",
        "usedns = no",
        "ignoreself = false",
        "maxretry = 3",
        "findtime = 10m",
        "bantime = 10m",
        ""));
    for (Map.Entry<String, Map<String, String>> jail : jails.entrySet()) {
      jailConf.append('\n').append('[').append(jail.getKey()).append("]\n");
      for (Map.Entry<String, String> option : jail.getValue().entrySet()) {
        jailConf.append(option.getKey()).append(" = ").append(option.getValue()).append('\n');
      }
      if (!jail.getValue().get("logpath").contains("*")) {
        Path log = Path.of(jail.getValue().get("logpath"));
        if (!Files.exists(log)) {
          Files.createFile(log);
        }
      }
    }
    Files.writeString(config.resolve("jail.conf"), jailConf);
  }
}
