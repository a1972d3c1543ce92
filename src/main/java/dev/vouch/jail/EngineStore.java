package dev.vouch.jail;

import dev.vouch.allowlist.Allowance;
import dev.vouch.watch.LogPosition;
import java.util.List;

/** What the engine needs of the database: its state at start, and durable batches. */
public interface EngineStore {

  /** The state to start from. */
  record Snapshot(List<Allowance> allowances, List<Ban> bans, List<BanCount> banCounts,
      List<LogPosition> positions) {}

  Snapshot load();

  /** Writes a batch in one transaction; durable (synced to disk) when it returns. */
  void commit(StateChanges changes);
}
