package dev.vouch.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs src/test/sh/check-action-presets, so that CI runs it: every action preset substituted as
 * fail2ban 1.0.2 substitutes it, the firewall presets in network namespaces (with packets), the
 * notification presets with a hostile user name, and a real fail2ban-server using them. The
 * script needs root and makes and deletes its own namespaces; without root it fails and says so.
 */
class ActionPresetsScriptIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();
  private static final Path FAIL2BAN =
      Path.of(System.getProperty("fail2ban.root", "target/fail2ban")).toAbsolutePath();

  @TempDir Path dir;

  @Test
  void everyActionPresetPassesTheScriptsChecks() throws Exception {
    Path output = dir.resolve("check-action-presets.out");
    ProcessBuilder builder = new ProcessBuilder(
        PROJECT.resolve("src/test/sh/check-action-presets").toString())
        .redirectErrorStream(true).redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("FAIL2BAN_ROOT", FAIL2BAN.toString());
    Process process = builder.start();
    boolean finished = process.waitFor(10, TimeUnit.MINUTES);
    if (!finished) {
      // The script's EXIT trap deletes its namespaces and stops its servers on SIGTERM.
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertTrue(finished, "check-action-presets did not finish within 10 minutes:\n" + text);
    assertEquals(0, process.exitValue(), "check-action-presets failed (it needs root, as in"
        + " .ci/run; each FAIL line says what):\n" + text);
    assertTrue(text.contains(" passed, 0 failed"), text);
  }
}
