package dev.vouch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The line rebuilt from journalctl's JSON, as fail2ban's {@code formatJournalEntry} builds it
 * ({@code JournalFormatOracleIT} compares with fail2ban itself on real journals).
 */
class JournalEntryTest {
  private static final String TIME = "\"__REALTIME_TIMESTAMP\":\"1700000000123456\","
      + "\"__CURSOR\":\"s=1;i=2\"";

  private static JournalEntry entry(String fields) {
    return JournalEntry.parse("{" + TIME + (fields.isEmpty() ? "" : ",") + fields + "}");
  }

  @Test
  void buildsHostIdentifierPidAndMessage() {
    JournalEntry entry = entry("\"_HOSTNAME\":\"web1\",\"SYSLOG_IDENTIFIER\":\"sshd\","
        + "\"SYSLOG_PID\":\"42\",\"_COMM\":\"sshd-session\",\"_PID\":\"43\","
        + "\"MESSAGE\":\"Accepted password for bob from 192.0.2.7 port 22 ssh2\"");
    assertEquals("web1 sshd[42]: Accepted password for bob from 192.0.2.7 port 22 ssh2",
        entry.line());
    assertEquals(1700000000.123456, entry.time(), 1e-9);
    assertEquals("s=1;i=2", entry.cursor());
    assertFalse(entry.undecodable());
  }

  @Test
  void fallsBackToCommAndPidOfTheProcess() {
    assertEquals("sshd[43]: m", entry("\"_COMM\":\"sshd\",\"_PID\":\"43\",\"MESSAGE\":\"m\"")
        .line());
    assertEquals("cron[43]: m", entry("\"SYSLOG_IDENTIFIER\":\"\",\"_COMM\":\"cron\","
        + "\"SYSLOG_PID\":\"0\",\"_PID\":\"43\",\"MESSAGE\":\"m\"").line());
    assertEquals("cron: m", entry("\"_COMM\":\"cron\",\"MESSAGE\":\"m\"").line());
    assertEquals("just the message", entry("\"MESSAGE\":\"just the message\"").line());
    assertEquals("web1 ", entry("\"_HOSTNAME\":\"web1\"").line());
  }

  @Test
  void formatsPidsAsPythonDoes() {
    assertEquals("d[12]: m", entry("\"_COMM\":\"d\",\"SYSLOG_PID\":\" 1_2 \",\"MESSAGE\":\"m\"")
        .line());
    assertEquals("d[31]: m", entry("\"_COMM\":\"d\",\"SYSLOG_PID\":\"0x1f\",\"MESSAGE\":\"m\"")
        .line());
    assertEquals("d[b\"a'b\"]: m",
        entry("\"_COMM\":\"d\",\"SYSLOG_PID\":\"a'b\",\"MESSAGE\":\"m\"").line());
    assertEquals("b\"it's\\xff\"", JournalEntry.bytesRepr(new byte[] {'i', 't', '\'', 's',
        (byte) 0xff}));
  }

  @Test
  void addsTheUptimeToKernelEntries() {
    assertEquals("kernel: [    5.000124] Out of memory", entry("\"SYSLOG_IDENTIFIER\":\"kernel\","
        + "\"__MONOTONIC_TIMESTAMP\":\"5000124\",\"MESSAGE\":\"Out of memory\"").line());
    assertEquals("kernel: [ 1234.500000] x", entry("\"SYSLOG_IDENTIFIER\":\"kernel\","
        + "\"_SOURCE_MONOTONIC_TIMESTAMP\":\"1234500000\",\"__MONOTONIC_TIMESTAMP\":\"1\","
        + "\"MESSAGE\":\"x\"").line());
  }

  @Test
  void decodesBinaryAndRepeatedValuesAndEscapesNewlines() {
    JournalEntry entry = entry("\"_COMM\":\"d\",\"MESSAGE\":[[98,255,10,99],\"two\\nlines\"]");
    assertEquals("d: b\uFFFD\\nc two\\nlines", entry.line());
    assertTrue(entry.undecodable());
    // An encoded surrogate is three bad bytes to Python, not one sequence as to Java.
    assertEquals("d: \uFFFD\uFFFD\uFFFD!",
        entry("\"_COMM\":\"d\",\"MESSAGE\":[237,160,128,33]").line());
    // Printable UTF-8 with a control character comes as bytes too, and is no error.
    JournalEntry control = entry("\"_COMM\":\"d\",\"MESSAGE\":" + numbers("tab\tcr\r\u00e9"));
    assertEquals("d: tab\tcr\r\u00e9", control.line());
    assertFalse(control.undecodable());
  }

  @Test
  void prefersTheSourceTimestamp() {
    assertEquals(1600000000.5, entry("\"_SOURCE_REALTIME_TIMESTAMP\":\"1600000000500000\"")
        .time(), 1e-9);
  }

  @Test
  void rejectsWhatIsNotAnEntry() {
    assertThrows(IllegalArgumentException.class, () -> JournalEntry.parse("{\"MESSAGE\":\"x\"}"));
    assertThrows(IllegalArgumentException.class, () -> JournalEntry.parse("{not json"));
    assertThrows(IllegalArgumentException.class, () -> JournalEntry.parse("[1,2]"));
    assertThrows(IllegalArgumentException.class,
        () -> JournalEntry.parse("{" + TIME + ",\"MESSAGE\":{\"a\":1}}"));
  }

  private static String numbers(String text) {
    StringBuilder json = new StringBuilder("[");
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      json.append(json.length() > 1 ? "," : "").append(b & 0xff);
    }
    return json.append(']').toString();
  }
}
