package dev.vouch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lines vouch rebuilds from journal entries equal those of fail2ban 1.0.2 itself: its
 * {@code FilterSystemd.formatJournalEntry}, reading the same journal through python-systemd
 * (Debian package python3-systemd), as fail2ban's systemd backend does.
 */
class JournalFormatOracleIT {
  private static final Path FAIL2BAN =
      Path.of(System.getProperty("fail2ban.root", "target/fail2ban")).toAbsolutePath();
  private static final String ORACLE = """
      import json, sys
      from systemd import journal
      from fail2ban.server.filtersystemd import FilterSystemd
      f = FilterSystemd.__new__(FilterSystemd)   # formatJournalEntry needs no jail
      f.jail = None
      f._Filter__encoding = 'UTF-8'
      for entry in journal.Reader(path=sys.argv[1], converters={'__CURSOR': lambda x: x}):
          line, time = f.formatJournalEntry(entry)
          print(json.dumps({"line": line[2], "time": time}))
      """;

  @TempDir Path temp;

  private record Read(String line, double time) {}

  @Test
  void rebuildsEveryEntryAsFail2banDoes() throws Exception {
    TestJournal journal = new TestJournal(temp.resolve("journal"));
    Instant t = Instant.now().minus(Duration.ofHours(1)).plusNanos(123_456_000);
    journal.append(
        TestJournal.sshd(t, 4242, "Accepted password for bob from 192.0.2.7 port 22 ssh2"),
        TestJournal.at(t).with("_COMM", "sshd").with("_PID", "77").with("MESSAGE", "no host"),
        TestJournal.at(t).with("_HOSTNAME", "h").with("SYSLOG_IDENTIFIER", "")
            .with("_COMM", "cron").with("SYSLOG_PID", "0").with("_PID", "9").with("MESSAGE", "m"),
        TestJournal.at(t).with("_COMM", "d").with("SYSLOG_PID", "abc").with("MESSAGE", "m"),
        TestJournal.at(t).with("_COMM", "d").with("SYSLOG_PID", "a'b\"c").with("MESSAGE", "m"),
        TestJournal.at(t).with("_COMM", "d").with("SYSLOG_PID", "0x1f").with("MESSAGE", "m"),
        TestJournal.at(t).with("_COMM", "d").with("SYSLOG_PID", " 1_2 ").with("MESSAGE", "m"),
        TestJournal.at(t).with("_COMM", "d").with("SYSLOG_PID", "").with("_PID", "0")
            .with("MESSAGE", "m"),
        TestJournal.at(t).with("SYSLOG_IDENTIFIER", "kernel").with("MESSAGE", "Out of memory"),
        TestJournal.at(t).with("SYSLOG_IDENTIFIER", "kernel")
            .with("_SOURCE_MONOTONIC_TIMESTAMP", "987654321").with("MESSAGE", "usb 1-1: new"),
        TestJournal.at(t).with("SYSLOG_IDENTIFIER", "kernel").with("SYSLOG_PID", "3")
            .with("MESSAGE", "not the kernel's own"),
        TestJournal.at(t).with("_COMM", "d").with("MESSAGE", bytes(
            'a', 0xff, 0xfe, ' ', 0xe2, 0x82, ' ', 0xed, 0xa0, 0x80, ' ', 0xc0, 0xaf, ' ', 0xf4,
            0x90, 0x80, 0x80, ' ', 0xf0, 0x9f, 0x98, ' ', 0xe2, 0x82, 0xac, 'z')),
        TestJournal.at(t).with("_COMM", "d")
            .with("MESSAGE", "tab\tcr\r esc\u001b[0m \u00fc \ud83d\ude00"),
        TestJournal.at(t).with("_COMM", "d").with("MESSAGE", "two\nlines\n"),
        TestJournal.at(t).with("_COMM", "d").with("MESSAGE", "first").with("MESSAGE", "second"),
        TestJournal.at(t).with("_COMM", "d"),
        TestJournal.at(t).with("_HOSTNAME", bytes('h', 0xe9)).with("_COMM", bytes('c', 0xff))
            .with("MESSAGE", "m"),
        TestJournal.at(t).with("_COMM", "d").with("_SOURCE_REALTIME_TIMESTAMP", "1600000000654321")
            .with("MESSAGE", "sent earlier"),
        TestJournal.at(t.plusSeconds(1)).with("MESSAGE", "only a message"));

    List<Read> fail2ban = fail2ban(journal.dir());
    List<Read> vouch = new ArrayList<>();
    JournalReader reader = new JournalReader("oracle",
        JournalQuery.of(List.of(), Map.of("journalpath", journal.dir().toString())),
        Optional.empty(), Duration.ofMinutes(10), Clock.systemUTC(),
        (source, lines, position) -> lines.forEach(line ->
            vouch.add(new Read(line.text(), line.time()))), 64 * 1024, false);
    reader.start();
    reader.join();
    assertEquals(19, fail2ban.size(), fail2ban::toString);
    for (int i = 0; i < fail2ban.size(); i++) {
      assertEquals(fail2ban.get(i).line(), vouch.get(i).line(), "entry " + i);
      assertEquals(fail2ban.get(i).time(), vouch.get(i).time(), 1e-6, "entry " + i);
    }
    assertEquals(fail2ban.size(), vouch.size());
  }

  /** fail2ban's lines for the journal in {@code dir}. */
  private List<Read> fail2ban(Path dir) throws Exception {
    Path script = temp.resolve("oracle.py");
    Files.writeString(script, ORACLE);
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script.toString(),
        dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("PYTHONPATH",
        FAIL2BAN.resolve("usr/lib/python3/dist-packages").toString());
    builder.environment().put("PYTHONIOENCODING", "utf-8");
    builder.environment().put("TZ", "UTC");
    Process python = builder.start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    python.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, python.exitValue(), () -> "fail2ban's formatJournalEntry failed (is"
        + " python3-systemd installed?): " + output);
    List<Read> reads = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.isEmpty()) {
        JsonObject read = JsonParser.parseString(line).getAsJsonObject();
        reads.add(new Read(read.get("line").getAsString(), read.get("time").getAsDouble()));
      }
    }
    return reads;
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}
