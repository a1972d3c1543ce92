package dev.vouch.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real fail2ban client of the unpacked Debian package ({@code target/fail2ban}, see
 * {@code src/test/sh/fetch-fail2ban}), run as {@code fail2ban-client -c DIR -d}: it reads a
 * config directory and prints the command stream it would send to the server.
 */
final class Fail2banClient {
  private final Path root;

  private Fail2banClient(Path root) {
    this.root = root;
  }

  /** The unpacked package named by the {@code fail2ban.root} property, or target/fail2ban. */
  static Fail2banClient unpacked() {
    Path root = Path.of(System.getProperty("fail2ban.root", "target/fail2ban"));
    if (!Files.isRegularFile(root.resolve("usr/bin/fail2ban-client"))) {
      throw new IllegalStateException("no fail2ban under " + root.toAbsolutePath()
          + ": run the build's process-test-resources phase (src/test/sh/fetch-fail2ban)");
    }
    return new Fail2banClient(root);
  }

  /** The stock configuration, {@code etc/fail2ban}. */
  Path stockConfig() {
    return root.resolve("etc/fail2ban");
  }

  /** The command stream fail2ban 1.0.2 builds from {@code configDir}. */
  List<List<Object>> dump(Path configDir) {
    List<List<Object>> stream = new ArrayList<>();
    String output = run("", root.resolve("usr/bin/fail2ban-client").toString(),
        "-c", configDir.toString(), "-d");
    for (String line : output.split("\n")) {
      if (line.startsWith("[")) {
        @SuppressWarnings("unchecked")
        List<Object> command = (List<Object>) PythonLiteral.parse(line);
        if (command.get(0).equals("config-error")) {
          throw new IllegalStateException("fail2ban rejects the test config: " + command);
        }
        stream.add(command);
      }
    }
    return stream;
  }

  /**
   * Runs a Python program with fail2ban importable, one input line per output line: the
   * program reads Python literals from stdin and prints the {@code repr} of its answers.
   */
  List<Object> python(String program, List<String> inputLines) {
    String output = run(String.join("\n", inputLines) + "\n", "-c", program);
    return output.lines().map(PythonLiteral::parse).toList();
  }

  private String run(String input, String... arguments) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("PYTHONPATH",
        root.resolve("usr/lib/python3/dist-packages").toAbsolutePath().toString());
    try {
      Path errors = Files.createTempFile("fail2ban-python", ".err");
      builder.redirectError(errors.toFile());
      Path stdin = Files.createTempFile("fail2ban-python", ".in");
      Files.writeString(stdin, input);
      builder.redirectInput(stdin.toFile());
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in 60 s");
      }
      String log = Files.readString(errors);
      Files.delete(errors);
      Files.delete(stdin);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            command + " failed (" + process.exitValue() + "):\n" + output + log);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
