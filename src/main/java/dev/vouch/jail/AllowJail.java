package dev.vouch.jail;

import java.time.Instant;

/** The state of one allow jail: successes counted per address, and its figures. */
final class AllowJail {
  final AllowJailSettings settings;
  final JailActions actions;
  final FailureTable successes;
  long totalGranted;
  long totalSuccesses;
  /** The totals changed since they were last written. */
  boolean countersChanged;

  AllowJail(AllowJailSettings settings, JailActions actions, Instant start) {
    this.settings = settings;
    this.actions = actions;
    this.successes = new FailureTable(start.toEpochMilli());
  }

  String name() {
    return settings.name();
  }
}
