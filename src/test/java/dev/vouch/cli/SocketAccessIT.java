package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vouch.cli.InProcessVouch.Result;
import dev.vouch.control.Accounts;
import dev.vouch.daemon.Daemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may use the control socket, tried by a real command line (the jar, as a child process) run
 * as another user ({@code setpriv} to nobody): refused by the socket file's mode, refused by the
 * daemon's check of the peer's credentials when the mode lets it through, accepted when it is in
 * the configured group. A refused command changes nothing.
 */
class SocketAccessIT {
  @TempDir Path dir;
  private TestConfig config;
  private InProcessVouch vouch;
  private Path socket;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Accounts.uid() == 0, "needs root, to run a command as another user");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
    config = new TestConfig(dir.resolve("conf"));
    vouch = new InProcessVouch(config);
    socket = config.dir.resolve("state/vouch.sock");
    Files.createDirectories(socket.getParent());
    for (Path path : List.of(dir, config.dir, socket.getParent())) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** {@code vouch -c CONF ARGS...} from the jar, as nobody:nogroup. */
  private Result asNobody(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=nobody",
        "--regid=nogroup", "--clear-groups", ProcessHandle.current().info().command()
            .orElse("java"), "-XX:-UsePerfData", "-jar", System.getProperty("vouch.jar"),
        "-c", config.dir.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("vouch as nobody did not finish: " + command);
    }
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void anotherUserIsRefusedAndChangesNothing() throws Exception {
    try (Daemon daemon = vouch.startDaemon()) {
      assertEquals("rw-rw----",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
      Result byMode = asNobody("allow", "add", "192.0.2.1");
      assertEquals(new Result(1, "", "vouch: permission denied on " + socket + ": run the"
          + " command as root, the daemon's user or a member of the socket's group (e.g. with"
          + " sudo)\n"), byMode);

      // A socket file anyone may open (a mistake, or a wide socketgroup): the daemon's own
      // check of the peer's credentials still refuses.
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
      Result byCredentials = asNobody("allow", "add", "192.0.2.1");
      assertEquals(new Result(1, "", "vouch: permission denied: the vouch daemon on " + socket
          + " takes commands from root, its own user only, and you are uid 65534. Run the"
          + " command as one of them (e.g. with sudo), or set socketgroup in vouch.conf to a"
          + " group of yours.\n"), byCredentials);

      assertEquals("no allowances\n", vouch.run("allow", "list").out());
    }
  }

  @Test
  void aMemberOfTheSocketGroupIsServed() throws Exception {
    config.write("vouch.conf", Files.readString(config.dir.resolve("vouch.conf"))
        .replace("[fail2ban]", "socketgroup = nogroup\n[fail2ban]"));
    try (Daemon daemon = vouch.startDaemon()) {
      Result added = asNobody("allow", "add", "192.0.2.1", "--ttl", "1h");
      assertEquals(0, added.exit(), added.err());
      assertEquals(0, vouch.run("allow", "check", "192.0.2.1").exit());
    }
  }
}
