package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permission denied on fail2ban's socket. fail2ban makes its socket {@code srwx------} for root;
 * root itself passes every permission check (CAP_DAC_OVERRIDE), so when the tests run as root the
 * client runs in a child JVM as {@code nobody} ({@code setpriv}); as any other user, the test's own
 * JVM meets a socket it may not open.
 */
class Fail2banPermissionIT {
  private static final String NOBODY = "65534";

  @TempDir Path dir;

  @Test
  void aRootOnlySocketIsReportedAsSuch() throws Exception {
    if (!isRoot()) {
      runAsThisUser();
      return;
    }
    Path setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of)
        .filter(Files::isExecutable).findFirst().orElse(null);
    assumeTrue(setpriv != null, "running as root without setpriv(1): cannot drop to another"
        + " user, and root is never denied a socket");
    // The test directory must be traversable, so that the denial comes from the socket's own mode.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Fail2banServer fail2ban = Fail2banServer.start(dir.resolve("f2b"), "sshd")) {
      Files.setPosixFilePermissions(fail2ban.directory(),
          PosixFilePermissions.fromString("rwxr-xr-x"));
      assertEquals("rwx------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(fail2ban.socket())));

      List<String> lines = runProbeAsNobody(setpriv, fail2ban.socket());

      assertEquals(List.of("Fail2banPermissionException", "permission denied on fail2ban's socket "
          + fail2ban.socket() + ": fail2ban makes it root-only (mode 0700, owned by the user"
          + " fail2ban runs as), since access to it means root on this machine. Run vouch as root,"
          + " or as the user fail2ban runs as."), lines);
    }
  }

  /** Not root: a socket with mode 000 is enough. */
  private void runAsThisUser() throws IOException {
    Path socket = dir.resolve("locked.sock");
    try (FakeFail2ban fake = FakeFail2ban.serving(socket, FakeFail2ban::holdOpen)) {
      Files.setPosixFilePermissions(fake.socket(), PosixFilePermissions.fromString("---------"));

      assertThrows(Fail2banPermissionException.class,
          () -> Fail2banClient.at(fake.socket()).ping());
    }
  }

  private List<String> runProbeAsNobody(Path setpriv, Path socket) throws Exception {
    Path classpath = Files.createDirectories(dir.resolve("classpath"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    List<String> entries = new ArrayList<>();
    int index = 0;
    // nobody cannot read root's ~/.m2, so the child gets a readable copy of the test classpath.
    for (String entry : testClasspath()) {
      Path source = Path.of(entry);
      if (!Files.exists(source)) {
        continue;
      }
      Path copy = classpath.resolve(index++ + "-" + source.getFileName());
      copyReadable(source, copy);
      entries.add(copy.toString());
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = dir.resolve("probe.out");
    Process probe = new ProcessBuilder(setpriv.toString(), "--reuid=" + NOBODY,
        "--regid=" + NOBODY, "--clear-groups", "--", java.toString(), "-XX:-UsePerfData",
        "-Djava.io.tmpdir=" + tmp, "-cp", String.join(File.pathSeparator, entries),
        PermissionProbe.class.getName(), socket.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!probe.waitFor(60, TimeUnit.SECONDS)) {
      probe.destroyForcibly();
      throw new AssertionError("the probe as nobody did not finish: " + Files.readString(out));
    }
    List<String> lines = Files.readAllLines(out);
    assertEquals(0, probe.exitValue(), String.join("\n", lines));
    return lines;
  }

  private static List<String> testClasspath() {
    String path = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    return List.of(path.split(File.pathSeparator));
  }

  private static void copyReadable(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      files.forEach(file -> {
        Path copy = target.resolve(source.relativize(file).toString());
        try {
          if (Files.isDirectory(file)) {
            Files.createDirectories(copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
          } else {
            Files.copy(file, copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private boolean isRoot() throws IOException {
    Path probe = Files.createTempFile(dir, "uid", "");
    return ((Integer) Files.getAttribute(probe, "unix:uid")) == 0;
  }
}
