package dev.vouch.daemon;

import dev.vouch.jail.EngineStore;
import dev.vouch.jail.StateChanges;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
    try {
      return opening.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
