package dev.vouch.store;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.AllowanceKey;
import dev.vouch.allowlist.Evidence;
import dev.vouch.audit.Event;
import dev.vouch.jail.Ban;
import dev.vouch.jail.BanCount;
import dev.vouch.jail.BanKey;
import dev.vouch.jail.EngineStore;
import dev.vouch.jail.FailureWindow;
import dev.vouch.jail.StateChanges;
import dev.vouch.net.Cidr;
import dev.vouch.watch.LogPosition;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The engine's state in the database: loaded once at start, then written in batches. */
public final class SqlEngineStore implements EngineStore {
  static final int LINE_MAX = 8192;
  static final int TEXT_MAX = 2000;

  private final Database database;

  public SqlEngineStore(Database database) {
    this.database = database;
  }

  @Override
  public Snapshot load() {
    return database.jdbi().withHandle(handle -> {
      java.util.Map<String, java.util.Map<String, Long>> counters = new java.util.LinkedHashMap<>();
      handle.createQuery("SELECT * FROM counters").map((rs, ctx) -> {
        counters.computeIfAbsent(rs.getString("jail"), key -> new java.util.LinkedHashMap<>())
            .put(rs.getString("name"), rs.getLong("total"));
        return null;
      }).list();
      return new Snapshot(
          handle.createQuery("SELECT * FROM allowances").map((rs, ctx) -> allowance(rs)).list(),
          handle.createQuery("SELECT * FROM bans").map((rs, ctx) -> ban(rs)).list(),
          handle.createQuery("SELECT * FROM ban_counts").map((rs, ctx) -> banCount(rs)).list(),
          handle.createQuery("SELECT * FROM positions").map((rs, ctx) -> new LogPosition(
              rs.getString("path"), rs.getString("file_key"), rs.getLong("file_offset"),
              rs.getString("first_line_hash"))).list(),
          counters,
          handle.createQuery("SELECT * FROM failure_windows").map((rs, ctx) -> new FailureWindow(
              new BanKey(Cidr.parse(rs.getString("network")), rs.getString("jail")),
              Instant.ofEpochMilli(rs.getLong("first_ms")),
              Instant.ofEpochMilli(rs.getLong("last_ms")), rs.getInt("attempts"))).list());
    });
  }

  /** What a replay cleared before it began. */
  public record ReplayReset(int allowances, int bans) {}

  /**
   * Clears what earlier runs derived from the logs of these jails (their login allowances, bans,
   * ban counts, failure windows and totals), so that a replay computes them afresh and gives the
   * same answer each time.
   * Allowances by hand, by import or by DNS stay, and so does the audit trail.
   */
  public ReplayReset resetForReplay(java.util.Collection<String> allowJails,
      java.util.Collection<String> banJails) {
    return database.jdbi().inTransaction(handle -> {
      int allowances = 0;
      for (String jail : allowJails) {
        allowances += handle.execute(
            "DELETE FROM allowances WHERE source = 'login' AND origin = ?", jail);
      }
      int bans = 0;
      for (String jail : banJails) {
        bans += handle.execute("DELETE FROM bans WHERE jail = ?", jail);
        handle.execute("DELETE FROM ban_counts WHERE jail = ?", jail);
      }
      for (java.util.Collection<String> jails : List.of(allowJails, banJails)) {
        for (String jail : jails) {
          handle.execute("DELETE FROM failure_windows WHERE jail = ?", jail);
          handle.execute("DELETE FROM counters WHERE jail = ?", jail);
        }
      }
      return new ReplayReset(allowances, bans);
    });
  }

  @Override
  public void commit(StateChanges changes) {
    if (changes.isEmpty()) {
      return;
    }
    try {
      database.jdbi().useTransaction(handle -> {
        writeAllowances(handle, changes.allowances());
        writeBans(handle, changes.bans());
        writeBanCounts(handle, changes.banCounts());
        writeFailures(handle, changes.failures());
        writeEvents(handle, changes.events());
        writePositions(handle, changes.positions());
        writeCounters(handle, changes.counters());
      });
    } catch (JdbiException | SQLException e) {
      throw new StoreException("cannot write to the database " + database.path() + ": "
          + Database.rootMessage(e) + ". Is the disk full or read-only?", e);
    }
  }

  private static void writeAllowances(Handle handle,
      Map<AllowanceKey, Optional<Allowance>> allowances) throws SQLException {
    if (allowances.isEmpty()) {
      return;
    }
    List<Object[]> deletes = new ArrayList<>(allowances.size());
    List<Object[]> inserts = new ArrayList<>(allowances.size());
    for (Map.Entry<AllowanceKey, Optional<Allowance>> entry : allowances.entrySet()) {
      AllowanceKey key = entry.getKey();
      String network = key.network().toString();
      deletes.add(new Object[] {network, key.scope(), key.source().text(), key.origin()});
      if (entry.getValue().isPresent()) {
        Allowance allowance = entry.getValue().get();
        Evidence evidence = allowance.evidence();
        inserts.add(new Object[] {network, key.scope(), key.source().text(), key.origin(),
            allowance.created().toEpochMilli(), allowance.renewed().toEpochMilli(),
            allowance.expires().map(Instant::toEpochMilli).orElse(null), allowance.hits(),
            clip(evidence.jail(), 200), clip(evidence.filter(), 300), clip(evidence.user(), 300),
            clip(evidence.line(), LINE_MAX), clip(evidence.note(), TEXT_MAX)});
      }
    }
    batch(handle, "DELETE FROM allowances WHERE network = ? AND scope = ? AND source = ?"
        + " AND origin = ?", deletes);
    batch(handle, "INSERT INTO allowances (network, scope, source, origin, created_ms,"
        + " renewed_ms, expires_ms, hits, ev_jail, ev_filter, ev_user, ev_line, ev_note)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inserts);
  }

  /**
   * Runs {@code sql} for each row in one JDBC batch, on the transaction's connection. Used for
   * the tables a batch can bring 100,000 rows to (an import): Jdbi's PreparedBatch finds an
   * argument binder for every value of every row, which cost such an import two of its five
   * seconds. Values are strings, longs or null.
   */
  private static void batch(Handle handle, String sql, List<Object[]> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          if (row[i] == null) {
            statement.setNull(i + 1, Types.NULL);
          } else if (row[i] instanceof String text) {
            statement.setString(i + 1, text);
          } else {
            statement.setLong(i + 1, ((Number) row[i]).longValue());
          }
        }
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  private static void writeBans(Handle handle, Map<BanKey, Optional<Ban>> bans) {
    if (bans.isEmpty()) {
      return;
    }
    PreparedBatch delete = handle.prepareBatch("DELETE FROM bans WHERE network = ? AND jail = ?");
    PreparedBatch insert = handle.prepareBatch("INSERT INTO bans (network, jail, since_ms,"
        + " until_ms, ban_count, reason) VALUES (?, ?, ?, ?, ?, ?)");
    boolean inserts = false;
    for (Map.Entry<BanKey, Optional<Ban>> entry : bans.entrySet()) {
      delete.add(entry.getKey().network().toString(), entry.getKey().jail());
      if (entry.getValue().isPresent()) {
        Ban ban = entry.getValue().get();
        insert.add(ban.network().toString(), ban.jail(), ban.since().toEpochMilli(),
            ban.until().map(Instant::toEpochMilli).orElse(null), ban.count(),
            clip(Optional.of(ban.reason()), 16000));
        inserts = true;
      }
    }
    delete.execute();
    if (inserts) {
      insert.execute();
    }
  }

  private static void writeBanCounts(Handle handle, Map<BanKey, BanCount> counts) {
    if (counts.isEmpty()) {
      return;
    }
    PreparedBatch delete =
        handle.prepareBatch("DELETE FROM ban_counts WHERE network = ? AND jail = ?");
    PreparedBatch insert = handle.prepareBatch("INSERT INTO ban_counts (network, jail, ban_count,"
        + " last_ban_ms, last_bantime_s) VALUES (?, ?, ?, ?, ?)");
    for (BanCount count : counts.values()) {
      delete.add(count.key().network().toString(), count.key().jail());
      insert.add(count.key().network().toString(), count.key().jail(), count.count(),
          count.lastBan().toEpochMilli(), count.lastBantime().getSeconds());
    }
    delete.execute();
    insert.execute();
  }

  private static void writeFailures(Handle handle,
      Map<BanKey, Optional<FailureWindow>> failures) throws SQLException {
    if (failures.isEmpty()) {
      return;
    }
    List<Object[]> deletes = new ArrayList<>(failures.size());
    List<Object[]> inserts = new ArrayList<>(failures.size());
    for (Map.Entry<BanKey, Optional<FailureWindow>> entry : failures.entrySet()) {
      String network = entry.getKey().network().toString();
      String jail = entry.getKey().jail();
      deletes.add(new Object[] {network, jail});
      entry.getValue().ifPresent(window -> inserts.add(new Object[] {network, jail,
          window.first().toEpochMilli(), window.last().toEpochMilli(), window.attempts()}));
    }
    batch(handle, "DELETE FROM failure_windows WHERE network = ? AND jail = ?", deletes);
    batch(handle, "INSERT INTO failure_windows (network, jail, first_ms, last_ms, attempts)"
        + " VALUES (?, ?, ?, ?, ?)", inserts);
  }

  private static void writeEvents(Handle handle, List<Event> events) throws SQLException {
    List<Object[]> rows = new ArrayList<>(events.size());
    for (Event event : events) {
      rows.add(new Object[] {event.time().toEpochMilli(), event.kind().text(),
          clip(event.subject(), 64), clip(event.jail(), 200), clip(event.user(), 300),
          clip(event.line(), LINE_MAX), clip(event.detail(), LINE_MAX),
          event.until().map(Instant::toEpochMilli).orElse(null)});
    }
    batch(handle, "INSERT INTO events (at_ms, kind, subject, jail, user_name, line, detail,"
        + " until_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows);
  }

  private static void writePositions(Handle handle, Map<String, LogPosition> positions) {
    if (positions.isEmpty()) {
      return;
    }
    PreparedBatch delete = handle.prepareBatch("DELETE FROM positions WHERE path = ?");
    PreparedBatch insert = handle.prepareBatch("INSERT INTO positions (path, file_key,"
        + " file_offset, first_line_hash) VALUES (?, ?, ?, ?)");
    for (LogPosition position : positions.values()) {
      delete.add(position.path());
      insert.add(position.path(), position.fileKey(), position.offset(),
          position.firstLineHash());
    }
    delete.execute();
    insert.execute();
  }

  private static void writeCounters(Handle handle, Map<String, Map<String, Long>> counters) {
    if (counters.isEmpty()) {
      return;
    }
    PreparedBatch delete = handle.prepareBatch("DELETE FROM counters WHERE jail = ? AND name = ?");
    PreparedBatch insert =
        handle.prepareBatch("INSERT INTO counters (jail, name, total) VALUES (?, ?, ?)");
    counters.forEach((jail, totals) -> totals.forEach((name, total) -> {
      delete.add(jail, name);
      insert.add(jail, name, total);
    }));
    delete.execute();
    insert.execute();
  }

  static String clip(Optional<String> text, int max) {
    return text.map(value -> clip(value, max)).orElse(null);
  }

  static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  static Allowance allowance(ResultSet rs) throws SQLException {
    long expires = rs.getLong("expires_ms");
    Optional<Instant> until = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expires));
    AllowanceKey key = new AllowanceKey(Cidr.parse(rs.getString("network")), rs.getString("scope"),
        AllowSource.parse(rs.getString("source")), rs.getString("origin"));
    Evidence evidence = new Evidence(optional(rs, "ev_jail"), optional(rs, "ev_filter"),
        optional(rs, "ev_user"), optional(rs, "ev_line"), optional(rs, "ev_note"));
    return new Allowance(key, evidence, Instant.ofEpochMilli(rs.getLong("created_ms")),
        Instant.ofEpochMilli(rs.getLong("renewed_ms")), until, rs.getLong("hits"));
  }

  static Ban ban(ResultSet rs) throws SQLException {
    long until = rs.getLong("until_ms");
    Optional<Instant> end = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(until));
    return new Ban(Cidr.parse(rs.getString("network")), rs.getString("jail"),
        Instant.ofEpochMilli(rs.getLong("since_ms")), end, rs.getInt("ban_count"),
        rs.getString("reason"));
  }

  static BanCount banCount(ResultSet rs) throws SQLException {
    return new BanCount(new BanKey(Cidr.parse(rs.getString("network")), rs.getString("jail")),
        rs.getInt("ban_count"), Instant.ofEpochMilli(rs.getLong("last_ban_ms")),
        Duration.ofSeconds(rs.getLong("last_bantime_s")));
  }

  private static Optional<String> optional(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }
}
