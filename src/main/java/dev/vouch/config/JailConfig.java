package dev.vouch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One enabled jail, typed and checked: fail2ban's keys with fail2ban's meaning and defaults, and
 * vouch's keys for allow jails. A jail is an allow jail when it has {@code allowfor}, or in the
 * seed recipe's form, when one of its actions is {@code ignoreip[name=X]} (then it allows for X,
 * for its bantime). Every error names the file:line of the value.
 *
 * @param logActions the built-in {@code log} actions, by file
 * @param allowFor the jails an allow jail vouches for ({@code *} = all); empty for a ban jail
 * @param allowPrefix the allow jail's {@code allowprefix} text, e.g. {@code 32 64}
 */
public record JailConfig(String name, Kind kind, Optional<FilterDefinition> filter,
    String backend, List<LogPath> logpaths, int maxretry, TimeValue findtime, TimeValue bantime,
    BanTimeConf banTime, List<Value> ignoreip, boolean ignoreself, List<ActionDefinition> actions,
    List<Path> logActions, String usedns, Optional<String> logtimezone, List<String> allowFor,
    TimeValue allowtime, String allowPrefix) {

  /** Whether a jail bans on failures or allows on successes. */
  public enum Kind { BAN, ALLOW }

  /** fail2ban's {@code bantime.*} options. */
  public record BanTimeConf(boolean increment, double factor, Optional<String> formula,
      List<Long> multipliers, Optional<TimeValue> maxtime, Optional<TimeValue> rndtime,
      boolean overalljails) {}

  /** The action of the seed recipe: a jail with it is an allow jail for its {@code name}. */
  static final String SEED_ACTION = "ignoreip";
  /** fail2ban's default formula, the only one vouch evaluates (as {@code bantime.multipliers}). */
  static final String DEFAULT_FORMULA =
      "ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor";

  public JailConfig {
    logpaths = List.copyOf(logpaths);
    ignoreip = List.copyOf(ignoreip);
    actions = List.copyOf(actions);
    logActions = List.copyOf(logActions);
    allowFor = List.copyOf(allowFor);
  }

  /**
   * Types an enabled jail.
   *
   * @throws ConfigException naming the file:line of a bad value
   */
  public static JailConfig of(JailDefinition jail) {
    String name = jail.name();
    int maxretry = integer(jail, "maxretry", 3, 1);
    TimeValue findtime = time(jail, "findtime", new TimeValue(600));
    TimeValue bantime = time(jail, "bantime", new TimeValue(600));
    List<ActionDefinition> actions = new ArrayList<>();
    List<Path> logActions = new ArrayList<>();
    List<String> seedTargets = new ArrayList<>();
    for (ActionDefinition action : jail.actions()) {
      if (action.name().equals(SEED_ACTION)) {
        seedTargets.add(action.properties().getOrDefault("name", name));
      } else if (action.name().equals("log")) {
        logActions.add(Path.of(action.properties().getOrDefault("path",
            "/var/log/vouch/decisions.log")));
      } else {
        actions.add(action);
      }
    }
    Optional<Value> allowForValue = jail.option("allowfor");
    List<String> allowFor = new ArrayList<>();
    allowForValue.ifPresent(value -> allowFor.addAll(words(value.text())));
    allowFor.addAll(seedTargets);
    if (allowForValue.isPresent() && allowFor.isEmpty()) {
      throw new ConfigException(allowForValue.get().origin(), "[" + name + "] allowfor: expected"
          + " the jails to vouch for (or * for all). Found nothing.");
    }
    Kind kind = allowFor.isEmpty() ? Kind.BAN : Kind.ALLOW;
    TimeValue allowtime = jail.option("allowtime").map(v -> v.toTime("[" + name + "] allowtime"))
        .orElse(seedTargets.isEmpty() ? new TimeValue(30 * 86400) : bantime);
    if (kind == Kind.ALLOW) {
      maxretry = integer(jail, "maxretry", 1, 1);
    }
    String usedns = jail.option("usedns").map(Value::text).map(String::strip)
        .map(text -> text.toLowerCase(Locale.ROOT)).orElse("warn");
    if (!List.of("yes", "warn", "no", "raw").contains(usedns)) {
      throw new ConfigException(jail.option("usedns").orElseThrow().origin(), "[" + name
          + "] usedns: expected yes, warn, no or raw. Found: " + usedns);
    }
    List<Value> ignoreip = new ArrayList<>();
    jail.option("ignoreip").ifPresent(value -> {
      for (String entry : words(value.text())) {
        ignoreip.add(new Value(entry, value.origin()));
      }
    });
    return new JailConfig(name, kind, jail.filter(), jail.backend(), jail.logpaths(), maxretry,
        findtime, bantime, banTime(jail), ignoreip, flag(jail, "ignoreself", true), actions,
        logActions, usedns, jail.option("logtimezone").map(Value::text).map(String::strip)
            .filter(text -> !text.isEmpty()), allowFor, allowtime,
        jail.option("allowprefix").map(Value::text).map(String::strip).orElse("32 64"));
  }

  /**
   * Whether the jail reads the systemd journal: fail2ban's {@code backend = systemd}, with or
   * without {@code [options]}, in any case.
   */
  public boolean readsJournal() {
    return backendSpec().name().strip().toLowerCase(Locale.ROOT).equals("systemd");
  }

  /** The backend's {@code [key=value]} options: {@code systemd[journalpath=/x]}. */
  public Map<String, String> backendOptions() {
    return backendSpec().options();
  }

  private OptionSpec backendSpec() {
    try {
      return OptionSpec.parse(backend);
    } catch (ConfigException e) {
      throw new ConfigException("[" + name + "] backend: " + e.getMessage());
    }
  }

  private static BanTimeConf banTime(JailDefinition jail) {
    String name = jail.name();
    Optional<String> formula = jail.option("bantime.formula").map(Value::text)
        .map(String::strip).filter(text -> !text.isEmpty());
    if (formula.isPresent() && !formula.get().replace(" ", "")
        .equals(DEFAULT_FORMULA.replace(" ", ""))) {
      throw new ConfigException(jail.option("bantime.formula").orElseThrow().origin(), "["
          + name + "] bantime.formula: vouch evaluates only fail2ban's default formula."
          + " Expected bantime.multipliers (e.g. 1 2 4 8 16 32 64) for a custom progression."
          + " Found: " + formula.get());
    }
    List<Long> multipliers = new ArrayList<>();
    Optional<Value> multiplierValue = jail.option("bantime.multipliers");
    if (multiplierValue.isPresent()) {
      for (String word : words(multiplierValue.get().text())) {
        try {
          multipliers.add(Long.parseLong(word));
        } catch (NumberFormatException e) {
          throw new ConfigException(multiplierValue.get().origin(), "[" + name
              + "] bantime.multipliers: expected whole numbers like 1 2 4 8. Found: " + word);
        }
      }
    }
    double factor = 1;
    Optional<Value> factorValue = jail.option("bantime.factor");
    if (factorValue.isPresent() && !factorValue.get().text().isBlank()) {
      try {
        factor = Double.parseDouble(factorValue.get().text().strip());
      } catch (NumberFormatException e) {
        throw new ConfigException(factorValue.get().origin(), "[" + name
            + "] bantime.factor: expected a number. Found: " + factorValue.get().text().strip());
      }
    }
    return new BanTimeConf(flag(jail, "bantime.increment", false), factor, formula, multipliers,
        optionalTime(jail, "bantime.maxtime"), optionalTime(jail, "bantime.rndtime"),
        flag(jail, "bantime.overalljails", false));
  }

  private static int integer(JailDefinition jail, String key, int fallback, int minimum) {
    Optional<Value> value = jail.option(key);
    if (value.isEmpty() || value.get().text().isBlank()) {
      return fallback;
    }
    int number = value.get().toInt("[" + jail.name() + "] " + key);
    if (number < minimum) {
      throw new ConfigException(value.get().origin(), "[" + jail.name() + "] " + key
          + ": expected a whole number of at least " + minimum + ". Found: " + number);
    }
    return number;
  }

  private static TimeValue time(JailDefinition jail, String key, TimeValue fallback) {
    return optionalTime(jail, key).orElse(fallback);
  }

  private static Optional<TimeValue> optionalTime(JailDefinition jail, String key) {
    Optional<Value> value = jail.option(key);
    if (value.isEmpty() || value.get().text().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(value.get().toTime("[" + jail.name() + "] " + key));
  }

  private static boolean flag(JailDefinition jail, String key, boolean fallback) {
    Optional<Value> value = jail.option(key);
    return value.isEmpty() || value.get().text().isBlank() ? fallback : value.get().isTrue();
  }

  /** fail2ban splits lists on spaces, commas and newlines. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String word : text.split("[\\s,]+")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }
}
