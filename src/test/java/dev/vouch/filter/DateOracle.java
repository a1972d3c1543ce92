package dev.vouch.filter;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real fail2ban (the unpacked Debian package under {@code target/fail2ban}) answering date
 * questions through {@code filter/date_oracle.py}, with the process TZ the test chooses.
 */
final class DateOracle {
  private static final Gson GSON = new Gson();

  private final Path fail2banRoot;
  private final String tz;

  DateOracle(String tz) {
    this.fail2banRoot = Path.of(System.getProperty("fail2ban.root", "target/fail2ban"));
    this.tz = tz;
  }

  Path root() {
    return fail2banRoot;
  }

  Path packages() {
    return fail2banRoot.resolve("usr/lib/python3/dist-packages");
  }

  /** Sends one request and returns the answer; fails loudly with Python's stderr. */
  JsonObject ask(JsonObject request) throws IOException, InterruptedException {
    Path script;
    try {
      script = Path.of(DateOracle.class.getResource("/filter/date_oracle.py").toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path stderr = Files.createTempFile("date-oracle", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script.toString());
      builder.environment().put("PYTHONPATH", packages().toString());
      builder.environment().put("TZ", tz);
      builder.environment().put("PYTHONHASHSEED", "0");
      builder.redirectError(stderr.toFile());
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(GSON.toJson(request).getBytes(StandardCharsets.UTF_8));
      }
      String answer = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("date_oracle.py failed: " + Files.readString(stderr));
      }
      return GSON.fromJson(answer, JsonObject.class);
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
