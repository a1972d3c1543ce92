package dev.vouch.action;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one action command as {@code /bin/sh -c SCRIPT ARG...} with a timeout. On timeout the
 * shell and everything it started get SIGTERM, then SIGKILL a second later, as fail2ban kills the
 * process group. Output (stdout and stderr, at most 64 KiB) is kept for the log. Thread-safe.
 */
final class CommandRunner {
  private static final int OUTPUT_LIMIT = 64 * 1024;

  /** How a command ended. */
  record Result(int exitCode, boolean timedOut, String output) {
    boolean ok() {
      return exitCode == 0 && !timedOut;
    }
  }

  Result run(ActionTags.ShellCommand command, Duration timeout) {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", command.script()));
    argv.addAll(command.arguments());
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      return new Result(127, false, "cannot start /bin/sh: " + e.getMessage());
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> drain(process.getInputStream(), output),
        "action-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      kill(process);
    }
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String text;
    synchronized (output) {
      text = output.toString(StandardCharsets.UTF_8);
    }
    return new Result(finished ? process.exitValue() : -1, !finished, text.strip());
  }

  private static void kill(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(1, TimeUnit.SECONDS)) {
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.SECONDS);
      } else {
        tree.forEach(ProcessHandle::destroyForcibly);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream output) {
    byte[] buffer = new byte[4096];
    try (in) {
      for (int read; (read = in.read(buffer)) >= 0; ) {
        synchronized (output) {
          if (output.size() < OUTPUT_LIMIT) {
            output.write(buffer, 0, Math.min(read, OUTPUT_LIMIT - output.size()));
          }
        }
      }
    } catch (IOException ignored) {
      // The process went away; what was read is kept.
    }
  }
}
