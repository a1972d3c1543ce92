package dev.vouch.cli;

import dev.vouch.config.ConfigException;
import dev.vouch.config.TimeValue;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --ttl D} or {@code --permanent}; neither means permanent, as ignoreip is. */
final class Lifetime {
  @Option(names = "--ttl", paramLabel = "DURATION",
      description = "How long it lasts: 30m, 12h, 7d, 2w, 1mo (fail2ban's units).")
  String ttl;

  @Option(names = "--permanent", description = "It never ends (the default).")
  boolean permanent;

  /** When it ends, counted from {@code now}; empty for never. */
  Optional<Instant> until(Instant now) {
    if (ttl == null) {
      return Optional.empty();
    }
    TimeValue value;
    try {
      value = TimeValue.parse(ttl.strip());
    } catch (ConfigException e) {
      throw new UsageException("--ttl: expected a duration like 30m, 12h, 7d or 2w. Found: "
          + ttl);
    }
    if (value.seconds() <= 0) {
      throw new UsageException("--ttl: expected a positive duration like 7d (use --permanent"
          + " for no end). Found: " + ttl);
    }
    return Optional.of(now.plus(value.toDuration()));
  }
}
