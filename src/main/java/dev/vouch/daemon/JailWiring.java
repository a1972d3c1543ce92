package dev.vouch.daemon;

import dev.vouch.action.ActionSpec;
import dev.vouch.action.ActionTicket;
import dev.vouch.action.ActionWorker;
import dev.vouch.allowlist.AllowPrefix;
import dev.vouch.config.ActionDefinition;
import dev.vouch.config.ConfigException;
import dev.vouch.config.JailConfig;
import dev.vouch.config.TimeValue;
import dev.vouch.config.Value;
import dev.vouch.filter.FilterMatch;
import dev.vouch.jail.AllowJailSettings;
import dev.vouch.jail.Ban;
import dev.vouch.jail.BanJailSettings;
import dev.vouch.jail.BanTimeIncrement;
import dev.vouch.jail.JailActions;
import dev.vouch.net.Cidr;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns typed jail configuration into the engine's settings and the jails' action workers. */
final class JailWiring {
  private JailWiring() {}

  static BanJailSettings banSettings(JailConfig jail) {
    JailConfig.BanTimeConf conf = jail.banTime();
    BanTimeIncrement increment = new BanTimeIncrement(conf.increment(), conf.factor(),
        conf.multipliers(), conf.maxtime().map(TimeValue::toDuration),
        conf.rndtime().map(TimeValue::toDuration), conf.overalljails());
    return new BanJailSettings(jail.name(), jail.maxretry(), jail.findtime().toDuration(),
        permanentOr(jail.bantime()), increment);
  }

  static AllowJailSettings allowSettings(JailConfig jail) {
    AllowPrefix prefix;
    try {
      prefix = AllowPrefix.parse(jail.allowPrefix());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("[" + jail.name() + "] " + e.getMessage());
    }
    return new AllowJailSettings(jail.name(),
        jail.filter().map(filter -> filter.name()).orElse(jail.name()), jail.allowFor(),
        permanentOr(jail.allowtime()), jail.maxretry(), jail.findtime().toDuration(), prefix);
  }

  /** A duration, or empty for fail2ban's permanent ({@code -1}, any negative). */
  static Optional<Duration> permanentOr(TimeValue time) {
    return time.seconds() < 0 ? Optional.empty() : Optional.of(time.toDuration());
  }

  static ActionWorker worker(JailConfig jail, ZoneId zone) {
    List<ActionSpec> specs = jail.actions().stream().map(JailWiring::spec).toList();
    return new ActionWorker(jail.name(), jail.kind() == JailConfig.Kind.ALLOW
        ? ActionWorker.Kind.ALLOW : ActionWorker.Kind.BAN, specs, jail.logActions(), zone);
  }

  /** fail2ban keeps family variants as {@code name?family=inet6} keys beside the others. */
  static ActionSpec spec(ActionDefinition definition) {
    Map<String, String> properties = new LinkedHashMap<>(definition.properties());
    definition.conditional().forEach((condition, values) ->
        values.forEach((key, value) -> properties.put(key + "?" + condition, value)));
    String timeout = properties.get("timeout");
    if (timeout != null && !timeout.isBlank()) {
      properties.put("timeout", String.valueOf(TimeValue.parse(timeout.strip()).seconds()));
    }
    return new ActionSpec(definition.name(), definition.actname(), properties);
  }

  /** The engine's view of a jail's action worker. */
  static JailActions actions(ActionWorker worker, String jail, int maxretry) {
    return new JailActions() {
      @Override
      public void ban(Ban ban, Optional<FilterMatch> match, boolean restored) {
        worker.ban(ticket(jail, ban, ban.since(), match, maxretry, restored));
      }

      @Override
      public void unban(Ban ban, java.time.Instant at) {
        worker.unban(ticket(jail, ban, at, Optional.empty(), maxretry, false));
      }
    };
  }

  /** The ticket of a decision at {@code at} about {@code ban}. */
  static ActionTicket ticket(String jail, Ban ban, java.time.Instant at,
      Optional<FilterMatch> match, int failures, boolean restored) {
    return new ActionTicket(jail, ban.network(), at.toEpochMilli() / 1000.0,
        ban.until().map(end -> Duration.between(ban.since(), end).toSeconds()).orElse(-1L),
        ban.count(), failures, match.map(FilterMatch::lines).orElse(List.of()),
        match.map(FilterMatch::fields).orElse(Map.of()), restored);
  }

  /** The networks of an {@code ignoreip} entry that is an address or network (not a name). */
  static Optional<Cidr> network(Value entry) {
    try {
      return Optional.of(Cidr.parse(entry.text()));
    } catch (dev.vouch.net.AddressFormatException e) {
      return Optional.empty();
    }
  }
}
