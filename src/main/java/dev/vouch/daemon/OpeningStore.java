package dev.vouch.daemon;

import dev.vouch.jail.EngineStore;
import dev.vouch.jail.StateChanges;
import java.util.concurrent.CompletableFuture;

/**
 * A store whose database is still opening: what the engine asks of it waits until it is open
 * (or fails with the error that kept it shut). A replay's readers start meanwhile.
 */
final class OpeningStore implements EngineStore {
  private final CompletableFuture<? extends EngineStore> opening;

  OpeningStore(CompletableFuture<? extends EngineStore> opening) {
    this.opening = opening;
  }

  @Override
  public Snapshot load() {
    return store().load();
  }

  @Override
  public void commit(StateChanges changes) {
    store().commit(changes);
  }

  private EngineStore store() {
    return Daemon.joined(opening);
  }
}
