package dev.vouch.watch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real systemd journal in a test's directory: entries are written in journal export format
 * and turned into a journal file by {@code systemd-journal-remote} (Debian package
 * systemd-journal-remote), which appends to the file when it exists, so that a running
 * {@code journalctl --directory=DIR --follow} sees new entries.
 */
public final class TestJournal {
  static final Path JOURNAL_REMOTE = Path.of("/lib/systemd/systemd-journal-remote");
  private static final String BOOT_ID = "0123456789abcdef0123456789abcdef";

  private final Path dir;
  private long monotonic = 5_000_000;
  private int exports;

  public TestJournal(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    if (!Files.isExecutable(JOURNAL_REMOTE)) {
      throw new IllegalStateException(JOURNAL_REMOTE + " is missing: the journal tests write"
          + " their journals with it. Install it: apt-get install systemd-journal-remote");
    }
  }

  /** The directory that holds the journal file ({@code journalctl --directory}). */
  public Path dir() {
    return dir;
  }

  /** A journal entry being built: fields in the order written, a field may repeat. */
  public static final class Entry {
    private final List<String> names = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();
    private final long micros;

    private Entry(long micros) {
      this.micros = micros;
    }

    /** A field with a text value (a field may be given twice). */
    public Entry with(String name, String value) {
      return with(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A field with a binary value. */
    public Entry with(String name, byte[] value) {
      names.add(name);
      values.add(value.clone());
      return this;
    }
  }

  /** An entry logged at {@code time}. */
  public static Entry at(Instant time) {
    return new Entry(time.getEpochSecond() * 1_000_000 + time.getNano() / 1000);
  }

  /** An sshd entry as journald records one: unit, command, pid, identifier and message. */
  public static Entry sshd(Instant time, int pid, String message) {
    return at(time).with("_HOSTNAME", "host1").with("_SYSTEMD_UNIT", "sshd.service")
        .with("_COMM", "sshd").with("_PID", String.valueOf(pid))
        .with("SYSLOG_IDENTIFIER", "sshd").with("SYSLOG_PID", String.valueOf(pid))
        .with("MESSAGE", message);
  }

  /** Appends entries to the journal, through systemd-journal-remote. */
  public void append(Entry... entries) throws IOException, InterruptedException {
    ByteArrayOutputStream export = new ByteArrayOutputStream();
    for (Entry entry : entries) {
      field(export, "__REALTIME_TIMESTAMP", String.valueOf(entry.micros).getBytes());
      field(export, "__MONOTONIC_TIMESTAMP", String.valueOf(monotonic++).getBytes());
      field(export, "_BOOT_ID", BOOT_ID.getBytes());
      for (int i = 0; i < entry.names.size(); i++) {
        field(export, entry.names.get(i), entry.values.get(i));
      }
      export.write('\n');
    }
    Path file = dir.resolve("export-" + exports++ + ".txt");
    Files.write(file, export.toByteArray());
    Process process = new ProcessBuilder(JOURNAL_REMOTE.toString(),
        "--output=" + dir.resolve("test.journal"), file.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("systemd-journal-remote failed: " + output);
    }
    Files.delete(file);
  }

  /** Export format: {@code NAME=value}, or for a value with a newline or other bytes, binary. */
  private static void field(ByteArrayOutputStream out, String name, byte[] value) {
    out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
    boolean text = true;
    for (byte b : value) {
      text &= b >= 0x20 && b < 0x7f;
    }
    if (text) {
      out.write('=');
      out.writeBytes(value);
    } else {
      out.write('\n');
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(value.length).array());
      out.writeBytes(value);
    }
    out.write('\n');
  }
}
