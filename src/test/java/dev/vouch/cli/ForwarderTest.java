package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ForwarderTest {
  @TempDir Path dir;

  /** The short way takes exactly the state commands that send their arguments as typed. */
  @Test
  void forwardsEveryStateCommandWhoseRequestIsItsArguments() throws Exception {
    CliContext context = new CliContext(new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()), new ByteArrayInputStream(new byte[0]),
        Clock.systemUTC(), Path.of("."), Optional.empty());
    CommandLine root = Main.commandLine(context);
    Set<List<String>> plain = new HashSet<>();
    collect(root, plain);
    assertEquals(plain, Forwarder.COMMANDS);
  }

  private static void collect(CommandLine command, Set<List<String>> plain) throws Exception {
    Object user = command.getCommandSpec().userObject();
    if (user instanceof StateCommand) {
      boolean ownRequest = false;
      for (var method : user.getClass().getDeclaredMethods()) {
        ownRequest |= method.getName().equals("request") || method.getName().equals("deliver");
      }
      if (!ownRequest) {
        List<String> path = List.of(command.getCommandSpec().qualifiedName().split(" "));
        plain.add(path.subList(1, path.size()));
      }
    }
    for (CommandLine sub : command.getSubcommands().values()) {
      collect(sub, plain);
    }
  }

  @Test
  void splitsGlobalOptionsFromTheCommandWhereverTheyAre() {
    GlobalOptions globals = new GlobalOptions();
    List<String> rest = new ArrayList<>();
    assertTrue(Forwarder.split(List.of("-c", "/etc/x", "allow", "--db=/var/db", "add",
        "192.0.2.1", "--jail", "sshd", "--socket", "/run/s.sock", "--note", "why"), globals,
        rest));
    assertEquals(Path.of("/etc/x"), globals.conf());
    assertEquals(Optional.of(Path.of("/var/db")), globals.db());
    assertEquals(Optional.of(Path.of("/run/s.sock")), globals.socket());
    assertEquals(List.of("allow", "add", "192.0.2.1", "--jail", "sshd", "--note", "why"), rest);
    // picocli refuses "--note -c..." (a value that looks like an option): only it can say so.
    assertFalse(Forwarder.split(List.of("allow", "add", "192.0.2.1", "--note", "-cx"),
        new GlobalOptions(), new ArrayList<>()));
    assertFalse(Forwarder.split(List.of("allow", "add", "192.0.2.1", "--force", "-c", "x"),
        new GlobalOptions(), new ArrayList<>()));

    GlobalOptions attached = new GlobalOptions();
    Forwarder.split(List.of("-c/etc/y", "status"), attached, new ArrayList<>());
    assertEquals(Path.of("/etc/y"), attached.conf());
    Forwarder.split(List.of("--conf=/etc/z", "status"), attached, new ArrayList<>());
    assertEquals(Path.of("/etc/z"), attached.conf());
  }

  @Test
  void declinesWhatPicocliMustHandleAndWhenNoDaemonAnswers() throws IOException {
    Files.writeString(dir.resolve("vouch.conf"), "[Definition]\nsocket = vouch.sock\n");
    Path socket = dir.resolve("vouch.sock");
    // A socket file that nobody listens on: refused, so the command runs here.
    try (var channel = java.nio.channels.ServerSocketChannel.open(
        java.net.StandardProtocolFamily.UNIX)) {
      channel.bind(java.net.UnixDomainSocketAddress.of(socket));
    }
    String conf = dir.toString();
    for (List<String> args : List.<List<String>>of(List.of("-c", conf, "allow", "add", "192.0.2.1"),
        List.of("-c", conf, "allow", "add", "--help"), List.of("-c", conf, "status", "-V"),
        List.of("-c", conf, "allow", "remove", "--", "192.0.2.1"),
        List.of("-c", conf, "allow", "import", "file.txt"), List.of("-c", conf, "run"),
        List.of("-c", conf, "allow"), List.of())) {
      StringWriter out = new StringWriter();
      assertEquals(Optional.empty(), Forwarder.forward(args, new PrintWriter(out),
          new PrintWriter(out), Path.of(".")), String.join(" ", args));
      assertTrue(out.toString().isEmpty(), out.toString());
    }
  }
}
