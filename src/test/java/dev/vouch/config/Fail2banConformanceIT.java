package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads config directories with {@link JailsReader} and with the real fail2ban 1.0.2 client
 * ({@code fail2ban-client -d}) and requires the same result for every enabled jail: backend,
 * prefregex, failregex and ignoreregex lists, maxlines, datepattern, journalmatch, usedns, the
 * jail options fail2ban sends (maxretry, findtime, bantime, ignoreip, ...), log paths, and every
 * property of every action.
 */
class Fail2banConformanceIT {
  private static Fail2banClient fail2ban;

  @TempDir Path temp;

  @BeforeAll
  static void findFail2ban() {
    fail2ban = Fail2banClient.unpacked();
  }

  @Test
  void stockConfigWithEveryJailEnabled() throws IOException {
    Path config = stockCopy();
    Path log = logFile("every.log");
    StringBuilder local = new StringBuilder();
    for (String jail : stockJails(config)) {
      local.append("[").append(jail).append("]\nenabled = true\nlogpath = ").append(log)
          .append("\n\n");
    }
    Files.writeString(config.resolve("jail.local"), local);

    assertSameAsFail2ban(config, 90);
  }

  @Test
  void stockConfigWithEveryActionMacroAndBackend() throws IOException {
    Path config = stockCopy();
    Path log = logFile("every.log");
    logFile("second.log");
    StringBuilder local = new StringBuilder("""
        [DEFAULT]
        cfemail = admin@example.org
        cfapikey = secret
        blocklist_de_apikey = key
        logpath = %s

        [sshd]
        enabled = true
        mode = aggressive
        action = %%(action_mwl)s
        ignoreip = 127.0.0.1/8 ::1, 192.0.2.0/24
                   198.51.100.7
        bantime = 1h 30m
        findtime = 1d12h
        maxretry = 3
        bantime.increment = true
        bantime.maxtime = 5w
        ignoreself = no

        [sshd-journal]
        enabled = true
        filter = sshd[mode=extra]
        backend = systemd[journalflags=1]
        action = %%(action_xarf)s
                 %%(action_blocklist_de)s

        [postfix]
        enabled = true
        backend = systemd
        action = %%(action_mw)s
                 %%(action_abuseipdb)s[abuseipdb_apikey="k", abuseipdb_category="18,22"]

        [postfix-rbl]
        enabled = true
        action = %%(action_cf_mwl)s

        [dovecot]
        enabled = true
        banaction = nftables-multiport
        logpath = %s
                  %s tail

        [recidive]
        enabled = true
        banaction = %%(banaction_allports)s
        """.formatted(log, log, log.resolveSibling("*.log")));
    try (Stream<Path> actions = Files.list(config.resolve("action.d"))) {
      for (Path action : actions.sorted().toList()) {
        String name = action.getFileName().toString();
        if (name.endsWith(".conf") && !name.endsWith("-common.conf")) {
          String stem = name.substring(0, name.length() - ".conf".length());
          local.append("\n[action-").append(stem).append("]\nenabled = true\nfilter = sshd\n")
              .append("action = ").append(stem).append("[port=\"22, 2222\"]\n");
        }
      }
    }
    Files.writeString(config.resolve("jail.local"), local);

    assertSameAsFail2ban(config, 60);
  }

  @Test
  void includesOverlaysAndKnownValues() throws IOException {
    assertSameAsFail2ban(fixture("overlay"), 3);
  }

  @Test
  void actionsWithInitArgumentsAndFamilies() throws IOException {
    assertSameAsFail2ban(fixture("actions"), 3);
  }

  @Test
  void filterOptionsFromInitArgumentsAndJails() throws IOException {
    assertSameAsFail2ban(fixture("filters"), 8);
  }

  /**
   * A copy of {@code src/test/resources/config/NAME} with {@code jail.d/logs.conf} setting
   * {@code %(logdir)s} to a directory of existing log files.
   */
  private Path fixture(String name) throws IOException {
    Path source = Path.of(System.getProperty("vouch.project", "."))
        .resolve("src/test/resources/config").resolve(name);
    Path copy = copy(source, temp.resolve(name));
    Path logs = logFile(name + ".log").getParent();
    Files.createDirectories(copy.resolve("jail.d"));
    Files.writeString(copy.resolve("jail.d/logs.conf"), "[DEFAULT]\nlogdir = " + logs + "\n");
    return copy;
  }

  private Path stockCopy() throws IOException {
    return copy(fail2ban.stockConfig(), temp.resolve("fail2ban"));
  }

  private static Path copy(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    return target;
  }

  private static List<String> stockJails(Path config) {
    return OverlayConfig.read(config, "jail").sections();
  }

  private Path logFile(String name) throws IOException {
    Path log = temp.resolve("logs").resolve(name);
    Files.createDirectories(log.getParent());
    if (!Files.exists(log)) {
      Files.createFile(log);
    }
    return log;
  }

  /** Compares the per-jail summaries and fails with every difference. */
  private static void assertSameAsFail2ban(Path config, int minimumJails) {
    Map<String, Map<String, Object>> expected =
        ConfigStream.summary(fail2ban.dump(config));
    Map<String, Map<String, Object>> actual =
        ConfigStream.summary(ConfigStream.of(JailsReader.ofFail2ban(config).read()));
    // fail2ban's FilterReader._fillStream tests `opt in ('datepattern')`, a substring test, so a
    // filter option named p, date, pattern... leaks out as `set JAIL p VALUE`, which the server
    // refuses ("Invalid command"). Not a setting: leave it out.
    expected.values().forEach(jail -> jail.keySet().removeIf(
        key -> "datepattern".contains(key) && !key.equals("datepattern")));
    List<String> differences = new ArrayList<>();
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "enabled jails");
    for (String jail : expected.keySet()) {
      Map<String, Object> want = expected.get(jail);
      Map<String, Object> have = actual.get(jail);
      TreeSet<String> keys = new TreeSet<>(want.keySet());
      keys.addAll(have.keySet());
      for (String key : keys) {
        if (!Objects.equals(want.get(key), have.get(key))) {
          differences.add("[" + jail + "] " + key + "\n  fail2ban: " + want.get(key)
              + "\n  vouch:    " + have.get(key));
        }
      }
    }
    assertTrue(differences.isEmpty(),
        differences.size() + " differences:\n" + String.join("\n", differences));
    assertTrue(expected.size() >= minimumJails,
        "expected at least " + minimumJails + " enabled jails, fail2ban has " + expected.size());
  }
}
