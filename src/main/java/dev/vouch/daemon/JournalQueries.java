package dev.vouch.daemon;

import dev.vouch.config.ConfigException;
import dev.vouch.config.FilterDefinition;
import dev.vouch.config.JailConfig;
import dev.vouch.watch.JournalQuery;
import java.util.List;
import java.util.Optional;

/**
 * The journal a jail with {@code backend = systemd} reads: its filter's {@code journalmatch}
 * (the jail's own replaces the filter's, as in fail2ban) and the backend's options.
 */
public final class JournalQueries {
  private JournalQueries() {}

  /**
   * The jail's journal query, or empty when the jail reads files.
   *
   * @throws ConfigException naming the jail, for a match or backend option that cannot work
   */
  public static Optional<JournalQuery> of(JailConfig jail) {
    if (!jail.readsJournal()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JournalQuery.of(
          jail.filter().map(FilterDefinition::journalmatch).orElse(List.of()),
          jail.backendOptions()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("[" + jail.name() + "] " + e.getMessage());
    }
  }
}
