package dev.vouch.jail;

import dev.vouch.filter.FilterMatch;
import java.time.Instant;
import java.util.Optional;

/**
 * A jail's ban actions. Called on the engine thread: implementations only queue the work, which
 * runs on the jail's own action worker with timeouts.
 */
public interface JailActions {
  /** No actions at all. */
  JailActions NONE = new JailActions() {
    @Override
    public void ban(Ban ban, Optional<FilterMatch> match, boolean restored) {}

    @Override
    public void unban(Ban ban, Instant at) {}
  };

  /** Ban {@code ban.network()}; {@code restored} for bans carried over a restart. */
  void ban(Ban ban, Optional<FilterMatch> match, boolean restored);

  /** Lift {@code ban}, decided at {@code at}. */
  void unban(Ban ban, Instant at);
}
