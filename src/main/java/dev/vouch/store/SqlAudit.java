package dev.vouch.store;

import dev.vouch.allowlist.Allowance;
import dev.vouch.audit.Event;
import dev.vouch.audit.EventKind;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Read-only questions to the database: the audit trail of an address, ended allowances. */
public final class SqlAudit {
  private final Database database;

  public SqlAudit(Database database) {
    this.database = database;
  }

  /**
   * Events about {@code address} or any network that contains it, newest first, at most
   * {@code limit}.
   */
  public List<Event> about(IpAddress address, int limit) {
    List<String> subjects = new ArrayList<>();
    for (int prefix = address.family().bits(); prefix >= 0; prefix--) {
      subjects.add(new Cidr(address, prefix).toString());
    }
    return database.jdbi().withHandle(handle -> handle.createQuery(
            "SELECT * FROM events WHERE subject IN (<subjects>) ORDER BY at_ms DESC, id DESC"
                + " LIMIT " + Math.max(1, limit))
        .bindList("subjects", subjects)
        .map((rs, ctx) -> event(rs)).list());
  }

  static Event event(java.sql.ResultSet rs) throws java.sql.SQLException {
    long until = rs.getLong("until_ms");
    Optional<Instant> end = rs.wasNull() ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(until));
    return new Event(Instant.ofEpochMilli(rs.getLong("at_ms")),
        EventKind.parse(rs.getString("kind")), rs.getString("subject"),
        rs.getString("jail"), Optional.ofNullable(rs.getString("user_name")),
        Optional.ofNullable(rs.getString("line")),
        Optional.ofNullable(rs.getString("detail")), end);
  }

  /** Allowances that have ended but are still on record (until pruned). */
  public List<Allowance> ended(Instant now) {
    return database.jdbi().withHandle(handle -> handle.createQuery(
            "SELECT * FROM allowances WHERE expires_ms IS NOT NULL AND expires_ms <= :now"
                + " ORDER BY network, scope")
        .bind("now", now.toEpochMilli())
        .map((rs, ctx) -> SqlEngineStore.allowance(rs)).list());
  }

  /**
   * Deletes ended allowances and events older than {@code eventsBefore}; returns how many
   * allowances went.
   */
  public int prune(Instant now, Instant eventsBefore) {
    return database.jdbi().inTransaction(handle -> {
      int allowances = handle.execute(
          "DELETE FROM allowances WHERE expires_ms IS NOT NULL AND expires_ms <= ?",
          now.toEpochMilli());
      handle.execute("DELETE FROM events WHERE at_ms < ?", eventsBefore.toEpochMilli());
      return allowances;
    });
  }
}
