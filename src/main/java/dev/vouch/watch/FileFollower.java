package dev.vouch.watch;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Follows one log file as {@code tail -F} does, on its own thread ({@code watch-NAME}): new lines
 * within milliseconds (inotify through WatchService, polling when that is unavailable), rotation
 * by rename and create (the old file is read to its end, and watched a little longer for late
 * writes), and rotation by copytruncate (the lines not yet read are taken from the rotated copy,
 * found by the hash of its first line). A saved position resumes only in the same file (same
 * first line); a new file is read from its end less the last findtime, as fail2ban does.
 */
public final class FileFollower implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.watch");
  /** Lines handed on at once at most: a replay or a backlog is matched in runs this long. */
  private static final int CHUNK_LINES = 8192;
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration LATE_WRITES = Duration.ofSeconds(5);

  /** Where to begin when there is no valid saved position. */
  public enum Start {
    /** The end of the file less the last findtime (a daemon starting). */
    RECENT,
    /** The beginning (a replay, or a file that appeared while running). */
    BEGINNING,
    /** The end: only lines written from now on ({@code logpath = FILE tail}). */
    END
  }

  /** An open file being read. */
  private static final class Reading {
    final FileChannel channel;
    final String fileKey;
    long offset;
    String hash;

    Reading(FileChannel channel, String fileKey, long offset, String hash) {
      this.channel = channel;
      this.fileKey = fileKey;
      this.offset = offset;
      this.hash = hash;
    }
  }

  private final Path path;
  private final Optional<LogPosition> saved;
  private final Start start;
  private final Duration findtime;
  private final ToDoubleFunction<String> lineTime;
  private final Clock clock;
  private final LineSink sink;
  private final int maxLine;
  private final boolean follow;
  /** Released once the first open (and the seek to where reading starts) is done. */
  private final java.util.concurrent.CountDownLatch positioned =
      new java.util.concurrent.CountDownLatch(1);
  private final Thread thread;
  private volatile boolean closed;
  private Reading current;
  private Reading previous;
  private long previousSince;
  private volatile long tooLong;
  private final java.util.concurrent.atomic.AtomicLong undecodable =
      new java.util.concurrent.atomic.AtomicLong();
  private long lastSkipWarning = Long.MIN_VALUE / 2;
  private boolean warnedUnreadable;

  /**
   * @param lineTime the epoch seconds of a line's date, NaN when it has none (for the findtime
   *     seek)
   * @param follow false to read to the end once and stop (replay)
   */
  public FileFollower(Path path, Optional<LogPosition> saved, Start start, Duration findtime,
      ToDoubleFunction<String> lineTime, Clock clock, LineSink sink, int maxLine, boolean follow) {
    this.path = path.toAbsolutePath();
    this.saved = saved;
    this.start = start;
    this.findtime = findtime;
    this.lineTime = lineTime;
    this.clock = clock;
    this.sink = sink;
    this.maxLine = maxLine;
    this.follow = follow;
    this.thread = new Thread(this::run, "watch-" + path.getFileName());
    this.thread.setDaemon(true);
  }

  public Path path() {
    return path;
  }

  /**
   * Starts following; returns once the file is open and its start found (or found missing), so
   * that a line written after this returns is read whatever its date. Waits at most a few seconds
   * (a slow disk) and then goes on regardless.
   */
  public void start() {
    thread.start();
    try {
      positioned.await(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until a non-following reader has read to the end. */
  public void join() throws InterruptedException {
    thread.join();
  }

  /** Lines skipped because they were too long, and lines that were not valid UTF-8. */
  public long tooLong() {
    return tooLong;
  }

  public long undecodable() {
    return undecodable.get();
  }

  private void run() {
    try (WatchService watch = watchService()) {
      try {
        current = open(true);
      } finally {
        positioned.countDown();
      }
      do {
        if (current != null) {
          readAvailable(current, !follow);
        }
        if (previous != null) {
          readAvailable(previous, false);
          if (clock.millis() - previousSince > LATE_WRITES.toMillis()) {
            closeQuietly(previous);
            previous = null;
          }
        }
        sink.caughtUp();
        if (!follow) {
          break;
        }
        await(watch);
        checkRotation();
      } while (!closed);
    } catch (IOException e) {
      LOG.log(Level.ERROR, "stopped following " + path + ": " + e.getMessage());
    } catch (RuntimeException e) {
      // A bug in what handles the lines: say so in the log rather than die silently.
      LOG.log(Level.ERROR, "stopped following " + path + " on an internal error", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(current);
      closeQuietly(previous);
      if (!follow) {
        sink.end();
      }
    }
  }

  private WatchService watchService() {
    if (!follow) {
      return null;
    }
    try {
      WatchService service = path.getFileSystem().newWatchService();
      path.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
      return service;
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(Level.WARNING, "cannot watch " + path.getParent() + " for changes ("
          + e.getMessage() + "); polling every " + POLL.toMillis() + " ms instead");
      return null;
    }
  }

  private void await(WatchService watch) throws InterruptedException {
    if (watch == null) {
      Thread.sleep(POLL.toMillis());
      return;
    }
    try {
      var key = watch.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
      if (key != null) {
        key.pollEvents();
        key.reset();
      }
    } catch (ClosedWatchServiceException e) {
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Opens the file at the path; {@code first} applies the saved position or the start rule. */
  private Reading open(boolean first) throws IOException {
    FileChannel channel;
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
      channel = FileChannel.open(path, StandardOpenOption.READ);
      warnedUnreadable = false;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      if (!warnedUnreadable) {
        warnedUnreadable = true;
        LOG.log(Level.ERROR, "cannot read " + path + ": " + e.getMessage()
            + "; retrying while it stays so");
      }
      return null;
    }
    String hash = firstLineHash(channel);
    long size = channel.size();
    long offset = 0;
    if (first) {
      if (saved.isPresent() && !hash.isEmpty() && saved.get().firstLineHash().equals(hash)
          && saved.get().offset() <= size) {
        offset = saved.get().offset();
      } else if (start == Start.RECENT) {
        offset = TimeSeek.firstAtOrAfter(channel, clock.millis() / 1000.0 - findtime.toSeconds(),
            lineTime);
      } else if (start == Start.END) {
        offset = size;
      }
    }
    return new Reading(channel, fileKey(attributes), offset, hash);
  }

  private void checkRotation() throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return; // renamed away; the new file has not appeared yet: keep reading the old one
    }
    if (current == null) {
      current = open(false);
      return;
    }
    if (!fileKey(attributes).equals(current.fileKey)) {
      // Rotation by rename and create: read the old file to its end, keep an eye on it for
      // late writes, and read the new one from its beginning.
      readAvailable(current, false);
      closeQuietly(previous);
      previous = current;
      previousSince = clock.millis();
      current = open(false);
      LOG.log(Level.INFO, "{0} was rotated (a new file); reading the new one", path);
      return;
    }
    long size = current.channel.size();
    if (size < current.offset) {
      recoverFromRotatedCopy();
      current.offset = 0;
      current.hash = firstLineHash(current.channel);
      LOG.log(Level.INFO, "{0} was truncated (copytruncate); reading it from the start", path);
      return;
    }
    if (current.hash.isEmpty() && size > 0) {
      current.hash = firstLineHash(current.channel);
    } else if (!current.hash.isEmpty() && size > 0) {
      String hash = firstLineHash(current.channel);
      if (!hash.isEmpty() && !hash.equals(current.hash)) {
        current.offset = 0;
        current.hash = hash;
        LOG.log(Level.INFO, "{0} was replaced in place; reading it from the start", path);
      }
    }
  }

  /**
   * After copytruncate, the lines written between the last read and the truncation are only in
   * the copy: find it (a sibling whose first line hashes as ours did) and read them from there.
   */
  private void recoverFromRotatedCopy() {
    if (current.hash.isEmpty()) {
      return;
    }
    String name = path.getFileName().toString();
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(path.getParent(),
        entry -> entry.getFileName().toString().startsWith(name) && !entry.equals(path))) {
      for (Path sibling : siblings) {
        try (FileChannel copy = FileChannel.open(sibling, StandardOpenOption.READ)) {
          if (copy.size() > current.offset && current.hash.equals(firstLineHash(copy))) {
            Reading rotated = new Reading(copy, "", current.offset, current.hash);
            readAvailable(rotated, true);
            return;
          }
        } catch (IOException e) {
          // Not readable (or compressed away); look at the next one.
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot look for the rotated copy of " + path + ": "
          + e.getMessage());
    }
  }

  /** Reads the complete lines after the reading's offset and hands them on, in chunks. */
  private void readAvailable(Reading reading, boolean includePartial) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    byte[] bytes = buffer.array();
    byte[] line = new byte[256];
    int lineLength = 0;
    boolean skipping = false;
    long lineStart = reading.offset;
    long position = reading.offset;
    LineBatch lines = new LineBatch(undecodable);
    while (true) {
      buffer.clear();
      int read = reading.channel.read(buffer, position);
      if (read <= 0) {
        break;
      }
      int from = 0;
      while (from < read) {
        int newline = from;
        while (newline < read && bytes[newline] != '\n') {
          newline++;
        }
        // bytes[from, newline) belong to the current line
        int take = newline - from;
        if (!skipping) {
          if (lineLength + take > maxLine) {
            skipping = true;
          } else {
            if (lineLength + take > line.length) {
              line = java.util.Arrays.copyOf(line,
                  Math.min(maxLine, Math.max(line.length * 2, lineLength + take)));
            }
            System.arraycopy(bytes, from, line, lineLength, take);
            lineLength += take;
          }
        }
        position += take;
        from = newline;
        if (newline == read) {
          break; // the line goes on in the next read
        }
        position++;
        from++;
        if (skipping) {
          skipped(lineStart);
        } else {
          lines.add(line, 0, lineLength);
        }
        lineLength = 0;
        skipping = false;
        lineStart = position;
        if (lines.size() >= CHUNK_LINES) {
          deliver(reading, lines, lineStart);
          lines = new LineBatch(undecodable);
        }
      }
    }
    if (includePartial && lineStart < position) {
      if (skipping) {
        skipped(lineStart);
      } else if (lineLength > 0) {
        lines.add(line, 0, lineLength);
      }
      lineStart = position;
    }
    if (!lines.isEmpty() || lineStart != reading.offset) {
      deliver(reading, lines, lineStart);
    }
  }

  /** Counts a line over the limit, and says so in the log (at most once a minute per file). */
  private void skipped(long offset) {
    tooLong++;
    long now = clock.millis();
    if (now - lastSkipWarning >= 60_000) {
      lastSkipWarning = now;
      LOG.log(Level.WARNING, "skipped a line of more than " + maxLine + " bytes at offset "
          + offset + " of " + path + " (" + tooLong + " so far); maxlinelength in vouch.conf"
          + " sets the limit");
    }
  }

  private void deliver(Reading reading, LineBatch lines, long offset) {
    reading.offset = offset;
    if (reading.hash.isEmpty() && offset > 0) {
      try {
        reading.hash = firstLineHash(reading.channel);
      } catch (IOException e) {
        // The hash is filled in at the next check.
      }
    }
    sink.fileLines(path.toString(), lines, new LogPosition(path.toString(), reading.fileKey, offset,
        reading.hash));
  }

  /**
   * MD5 of the first line with its newline, as fail2ban keys positions; empty until that line is
   * complete. A first line longer than 4 KiB is identified by its first 4 KiB.
   */
  static String firstLineHash(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    int read = channel.read(buffer, 0);
    if (read <= 0) {
      return "";
    }
    byte[] bytes = buffer.array();
    int length = -1;
    for (int i = 0; i < read && length < 0; i++) {
      if (bytes[i] == '\n') {
        length = i + 1;
      }
    }
    if (length < 0) {
      if (read < bytes.length) {
        return "";
      }
      length = read;
    }
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(bytes, 0, length);
      return HexFormat.of().formatHex(md5.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  private static String fileKey(BasicFileAttributes attributes) {
    Object key = attributes.fileKey();
    return key == null ? "" : key.toString();
  }

  private static void closeQuietly(Reading reading) {
    if (reading != null) {
      try {
        reading.channel.close();
      } catch (IOException ignored) {
        // Closing a read-only channel cannot lose anything.
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
