package dev.vouch.filter;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real fail2ban (the unpacked Debian package under {@code target/fail2ban}) answering date
 * questions through {@code filter/date_oracle.py}, with the process TZ the test chooses.
 */
final class DateOracle {
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
    return PythonScript.ask("/filter/date_oracle.py", request, Map.of("PYTHONPATH",
        packages().toString(), "TZ", tz, "PYTHONHASHSEED", "0"));
  }
}
