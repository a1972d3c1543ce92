package dev.vouch.action;

import java.io.IOException;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The built-in {@code log} action: appends one line per decision to a file, e.g.
 * {@code 2026-11-22T10:00:00 [sshd] Ban 203.0.113.7} (the same lines as actions/log.conf), with
 * no process to start. Confined to the jail's action worker.
 */
final class LogAction implements Action {
  private static final System.Logger LOG = System.getLogger("vouch.action");

  private final String jail;
  private final Path path;
  private final String banVerb;
  private final String unbanVerb;
  private final DateTimeFormatter format;

  LogAction(String jail, Path path, String banVerb, String unbanVerb, ZoneId zone) {
    this.jail = jail;
    this.path = path;
    this.banVerb = banVerb;
    this.unbanVerb = unbanVerb;
    this.format = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(zone);
  }

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void start() {}

  @Override
  public boolean ban(ActionTicket ticket) {
    return append(ticket, banVerb);
  }

  @Override
  public boolean unban(ActionTicket ticket) {
    return append(ticket, unbanVerb);
  }

  private boolean append(ActionTicket ticket, String verb) {
    String line = format.format(Instant.ofEpochMilli(Math.round(ticket.time() * 1000))) + " ["
        + jail + "] " + verb + " " + ticket.network() + "\n";
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        out.write(line);
      }
      return true;
    } catch (IOException e) {
      LOG.log(Level.ERROR, "[{0}] log: cannot append to {1}: {2}", jail, path, e.getMessage());
      return false;
    }
  }

  @Override
  public boolean flush() {
    return false; // no flush: every ban is logged as lifted at stop
  }

  @Override
  public void stop() {}
}
