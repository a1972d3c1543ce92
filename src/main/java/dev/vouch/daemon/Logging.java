package dev.vouch.daemon;

import dev.vouch.config.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The daemon's log, in fail2ban's layout
 * ({@code 2026-11-22 10:00:00,123 vouch.jail [1234]: INFO    [sshd] Ban 203.0.113.7}), to
 * standard error, standard output or a file ({@code logtarget}), at {@code loglevel}.
 */
public final class Logging {
  private Logging() {}

  /** Sends every {@code vouch.*} logger to {@code target} at {@code level}. */
  public static void configure(String target, String level, ZoneId zone) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    Handler handler = handler(target, new Fail2banFormat(zone));
    Level threshold = level(level);
    handler.setLevel(threshold);
    root.addHandler(handler);
    root.setLevel(Level.WARNING);
    Logger.getLogger("vouch").setLevel(threshold);
  }

  private static Handler handler(String target, Formatter format) {
    switch (target.toUpperCase(Locale.ROOT)) {
      case "STDERR":
        return flushing(System.err, format);
      case "STDOUT":
        return flushing(System.out, format);
      default:
        try {
          Path path = Path.of(target);
          if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
          }
          FileHandler file = new FileHandler(target, true);
          file.setFormatter(format);
          return file;
        } catch (IOException | IllegalArgumentException e) {
          throw new ConfigException("logtarget: cannot write to " + target + ": "
              + e.getMessage() + ". Expected STDERR, STDOUT or a writable file.");
        }
    }
  }

  private static Handler flushing(PrintStream stream, Formatter format) {
    return new StreamHandler((OutputStream) stream, format) {
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
      }
    };
  }

  static Level level(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "CRITICAL", "ERROR" -> Level.SEVERE;
      case "WARNING" -> Level.WARNING;
      case "DEBUG" -> Level.FINE;
      default -> Level.INFO; // INFO and fail2ban's NOTICE
    };
  }

  /**
   * fail2ban's log line format. Its clock format and the process id are made on the first
   * record: most commands log nothing, and making them is a few milliseconds of a cold start.
   */
  private static final class Fail2banFormat extends Formatter {
    private final ZoneId zone;
    private DateTimeFormatter time;
    private long pid;

    Fail2banFormat(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public String format(LogRecord record) {
      String level = record.getLevel() == Level.SEVERE ? "ERROR"
          : record.getLevel() == Level.WARNING ? "WARNING"
              : record.getLevel().intValue() < Level.INFO.intValue() ? "DEBUG" : "INFO";
      if (time == null) {
        time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(zone);
        pid = ProcessHandle.current().pid();
      }
      StringBuilder line = new StringBuilder(160)
          .append(time.format(Instant.ofEpochMilli(record.getMillis()))).append(' ')
          .append(String.format("%-16s", record.getLoggerName())).append(" [").append(pid)
          .append("]: ").append(String.format("%-7s", level)).append(' ')
          .append(formatMessage(record)).append('\n');
      if (record.getThrown() != null) {
        java.io.StringWriter trace = new java.io.StringWriter();
        record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }
  }
}
