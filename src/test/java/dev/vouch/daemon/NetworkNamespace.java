package dev.vouch.daemon;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private network namespace for firewall tests ({@code ip netns add vouch-test-RANDOM}), with
 * its own empty rule sets; the host's rules are never read or changed through it. Closing deletes
 * it, and every rule in it with it. Confined to one test.
 */
final class NetworkNamespace implements AutoCloseable {
  /** What a command printed (standard output and error together) and how it exited. */
  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  final String name;

  private NetworkNamespace(String name) {
    this.name = name;
  }

  /** Makes a namespace with its loopback up. Fails with what to do when not run as root. */
  static NetworkNamespace create() throws IOException, InterruptedException {
    requireRoot();
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    NetworkNamespace namespace =
        new NetworkNamespace("vouch-test-" + HexFormat.of().formatHex(random));
    Result added = host("ip", "netns", "add", namespace.name);
    if (!added.ok()) {
      throw new IllegalStateException("ip netns add " + namespace.name + " failed: "
          + added.output() + "\nThe firewall tests need root with CAP_SYS_ADMIN and"
          + " CAP_NET_ADMIN (as .ci/run has), and iproute2.");
    }
    namespace.run("ip", "link", "set", "lo", "up");
    return namespace;
  }

  /** Fails the test, saying why, unless this process runs as root. */
  static void requireRoot() throws IOException, InterruptedException {
    Result id = host("id", "-u");
    if (!id.output().strip().equals("0")) {
      throw new IllegalStateException("the firewall tests need root, to make network"
          + " namespaces and change the rules inside them (never the host's). Run them as root,"
          + " as CI does (.ci/run), or leave them out: mvn verify -Dit.test='!*Firewall*'.");
    }
  }

  /** Fails the test unless each program is installed, naming the packages to install. */
  static void requirePrograms(String... programs) throws IOException, InterruptedException {
    List<String> missing = new ArrayList<>();
    for (String program : programs) {
      if (!host("sh", "-c", "command -v " + program).ok()) {
        missing.add(program);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("missing programs: " + String.join(" ", missing)
          + ". Install them: apt-get install -y nftables iptables ipset iproute2 (.ci/run does).");
    }
  }

  /** Runs a command inside the namespace. */
  Result run(String... command) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
    argv.addAll(List.of(command));
    return host(argv.toArray(String[]::new));
  }

  /** Runs a shell command inside the namespace. */
  Result shell(String script) throws IOException, InterruptedException {
    return run("sh", "-c", script);
  }

  /** Every rule, chain, set and table of the namespace, in nft, iptables and ipset form. */
  String snapshot() throws IOException, InterruptedException {
    return shell("nft -s list ruleset; for t in filter nat; do iptables -t $t -S;"
        + " ip6tables -t $t -S; done; ipset save").output();
  }

  /** Runs a command on the host, at most a minute (its output goes through a file). */
  static Result host(String... command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("vouch-netns", ".out");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after 60 s: " + String.join(" ", command));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Result deleted = host("ip", "netns", "del", name);
    if (!deleted.ok()) {
      throw new IllegalStateException("cannot delete network namespace " + name + ": "
          + deleted.output() + " (delete it with: ip netns del " + name + ")");
    }
  }
}
