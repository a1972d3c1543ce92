package dev.vouch.daemon;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link ActionLifecycle} in a child JVM inside a network namespace, with this test's class
 * path: the action commands it runs see only that namespace's firewall. Confined to one test.
 */
final class LifecycleProcess implements AutoCloseable {
  private static final long WAIT_SECONDS = 90;

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Path errors;

  private LifecycleProcess(Process process, Path errors) {
    this.process = process;
    this.errors = errors;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
        lines.lines().forEach(answers::add);
      } catch (IOException ignored) {
        // The child went away; what it said is in the queue, why in its error file.
      }
    }, "lifecycle-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the child and waits until its jail has started. */
  static LifecycleProcess start(NetworkNamespace namespace, Path config, Path install,
      Path errors) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of("ip", "netns", "exec", namespace.name, java,
        "-cp", System.getProperty("java.class.path"), ActionLifecycle.class.getName(),
        config.toString(), install.toString()))
        .redirectError(errors.toFile()).start();
    LifecycleProcess child = new LifecycleProcess(process, errors);
    child.await("ready");
    return child;
  }

  /** Sends a command ({@code ban ADDR}, {@code unban ADDR}, {@code stop}) and waits for it. */
  void send(String command) throws IOException, InterruptedException {
    commands.write(command + "\n");
    commands.flush();
    await("done " + command);
  }

  /** Waits for the child to exit after {@code stop}; returns its exit code. */
  int exitCode() throws InterruptedException {
    if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("the action lifecycle did not exit after stop" + log());
    }
    return process.exitValue();
  }

  /** What the child logged: the worker's log, with every command that failed. */
  String log() {
    try {
      return "\n--- the child's log:\n" + Files.readString(errors, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "\n(no log: " + e.getMessage() + ")";
    }
  }

  private void await(String expected) throws InterruptedException {
    String answer = answers.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (!expected.equals(answer)) {
      throw new AssertionError("expected '" + expected + "' from the action lifecycle, got "
          + (answer == null ? "nothing within " + WAIT_SECONDS + " s" : "'" + answer + "'")
          + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + log());
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
