package dev.vouch.filter;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script of the test resources under /usr/bin/python3: a JSON request on its
 * stdin, its JSON answer on its stdout. The oracles that hold vouch to Python's own behaviour
 * (fail2ban's date detection, Python's {@code re}) go through here.
 */
final class PythonScript {
  private static final Gson GSON = new Gson();

  private PythonScript() {}

  /** Sends one request and returns the answer; fails loudly with Python's stderr. */
  static JsonObject ask(String resource, JsonObject request, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path script;
    try {
      script = Path.of(PythonScript.class.getResource(resource).toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path stderr = Files.createTempFile("python-script", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script.toString());
      builder.environment().putAll(environment);
      builder.redirectError(stderr.toFile());
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(GSON.toJson(request).getBytes(StandardCharsets.UTF_8));
      }
      String answer = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(resource + " failed: " + Files.readString(stderr));
      }
      return GSON.fromJson(answer, JsonObject.class);
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
