package dev.vouch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A config directory for tests: an allow jail (sshd-allow, vouch's sshd-success filter) and a
 * ban jail (sshd, 3 failures in 10 minutes) on one log file, with the database, socket and
 * decisions log inside the directory.
 */
final class TestConfig {
  final Path dir;
  final Path log;

  TestConfig(Path dir) throws IOException {
    this.dir = dir;
    this.log = dir.resolve("auth.log");
    Files.createDirectories(dir.resolve("filter.d"));
    Files.writeString(log, "");
    write("vouch.conf", """
        [Definition]
        dbfile = state/vouch
        socket = state/vouch.sock
        [fail2ban]
        sync = off
        """);
    write("jail.local", """
        [DEFAULT]
        ignoreself = false
        [sshd-allow]
        enabled = true
        filter = sshd-success
        logpath = %(fail2ban_confpath)s/auth.log
        allowfor = sshd
        allowtime = 30d
        [sshd]
        enabled = true
        filter = sshd-fail
        logpath = %(fail2ban_confpath)s/auth.log
        maxretry = 3
        findtime = 10m
        bantime = 1h
        action = log[path=%(fail2ban_confpath)s/state/decisions.log]
        """);
    write("filter.d/sshd-fail.conf", """
        [Definition]
        failregex = ^\\s*\\S+ sshd\\[\\d+\\]: Failed password for (?:invalid user )?\\S+ from <ADDR> port \\d+
        """);
  }

  void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  void append(String... lines) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /**
   * A failed login, dated now: a daemon that starts reading after the line was written still
   * reads it (a new log is read from its last findtime), which an old date would not be.
   */
  static String failure(String address, int pid) {
    return stamp() + " host1 sshd[" + pid + "]: Failed password for root from " + address
        + " port 22 ssh2";
  }

  /** A successful login, dated now. */
  static String success(String address, int pid) {
    return stamp() + " host1 sshd[" + pid + "]: Accepted publickey for alice from " + address
        + " port 22 ssh2";
  }

  private static String stamp() {
    return java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", java.util.Locale.ROOT)
        .format(java.time.LocalDateTime.now());
  }
}
