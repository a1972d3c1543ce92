package dev.vouch.jail;

import dev.vouch.allowlist.Allowance;
import java.util.Map;
import dev.vouch.watch.LogPosition;
import java.util.List;

/** What the engine needs of the database: its state at start, and durable batches. */
public interface EngineStore {

  /**
   * The state to start from; {@code counters} are each jail's totals by name, and {@code failures}
   * the failure windows on record (the caller drops those older than their jail's findtime).
   */
  record Snapshot(List<Allowance> allowances, List<Ban> bans, List<BanCount> banCounts,
      List<LogPosition> positions, Map<String, Map<String, Long>> counters,
      List<FailureWindow> failures) {}

  Snapshot load();

  /** Writes a batch in one transaction; durable (synced to disk) when it returns. */
  void commit(StateChanges changes);
}
