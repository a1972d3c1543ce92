package dev.vouch.store;

import dev.vouch.audit.Event;
import dev.vouch.fail2ban.Reconciler;
import dev.vouch.jail.StateChanges;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The entries vouch added to fail2ban's ignore lists, and the events of each push. */
public final class SqlFail2banOwned implements Reconciler.Ownership {
  private final Database database;
  private final SqlEngineStore events;

  public SqlFail2banOwned(Database database) {
    this.database = database;
    this.events = new SqlEngineStore(database);
  }

  @Override
  public Map<String, Set<String>> load() {
    Map<String, Set<String>> owned = new LinkedHashMap<>();
    database.jdbi().useHandle(handle -> handle.createQuery("SELECT jail, entry FROM fail2ban_owned")
        .map((rs, ctx) -> owned.computeIfAbsent(rs.getString("jail"), key -> new HashSet<>())
            .add(rs.getString("entry"))).list());
    return owned;
  }

  @Override
  public void record(String jail, Collection<String> added, Collection<String> removed,
      List<Event> pushed) {
    long now = System.currentTimeMillis();
    database.jdbi().useTransaction(handle -> {
      if (!removed.isEmpty()) {
        PreparedBatch delete =
            handle.prepareBatch("DELETE FROM fail2ban_owned WHERE jail = ? AND entry = ?");
        removed.forEach(entry -> delete.add(jail, entry));
        delete.execute();
      }
      if (!added.isEmpty()) {
        PreparedBatch delete =
            handle.prepareBatch("DELETE FROM fail2ban_owned WHERE jail = ? AND entry = ?");
        PreparedBatch insert = handle.prepareBatch(
            "INSERT INTO fail2ban_owned (jail, entry, added_ms) VALUES (?, ?, ?)");
        added.forEach(entry -> {
          delete.add(jail, entry);
          insert.add(jail, entry, now);
        });
        delete.execute();
        insert.execute();
      }
    });
    if (!pushed.isEmpty()) {
      StateChanges changes = new StateChanges();
      pushed.forEach(changes::add);
      events.commit(changes);
    }
  }
}
