package dev.vouch.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads one jail section in the steps of fail2ban's {@code JailReader.getOptions}: enabled,
 * backend and filter first; then the filter, whose options join the jail as {@code known/...};
 * then all jail options (so {@code %(known/failregex)s} resolves); then the actions.
 *
 * <p>Confined to the thread of one {@link JailsReader#read()}.
 */
final class JailReader {
  private static final List<String> FIRST_KEYS = List.of("enabled", "backend", "filter");
  /** The keys fail2ban's client reads from a jail ({@code JailReader._configOpts}), in order. */
  private static final List<String> KEYS = Stream.concat(
      Stream.of("enabled", "backend", "maxretry", "maxmatches", "findtime", "bantime",
          "bantime.increment", "bantime.factor", "bantime.formula", "bantime.multipliers",
          "bantime.maxtime", "bantime.rndtime", "bantime.overalljails", "ignorecommand",
          "ignoreself", "ignoreip", "ignorecache", "filter", "logtimezone", "logencoding",
          "logpath", "action"),
      FilterFile.KEYS.stream()).toList();
  private static final Set<String> BOOLEANS =
      Set.of("enabled", "bantime.increment", "bantime.overalljails", "ignoreself");
  private static final Set<String> INTEGERS = Set.of("maxretry", "maxmatches", "maxlines");
  private static final Set<String> DURATIONS =
      Set.of("findtime", "bantime", "bantime.maxtime", "bantime.rndtime");
  private static final Map<String, String> DEFAULTS =
      Map.of("enabled", "False", "backend", "auto", "filter", "", "action", "");

  private final MergedConfig config;
  private final FilterReader filters;
  private final ActionReader actions;
  private final String jail;

  JailReader(MergedConfig config, FilterReader filters, ActionReader actions, String jail) {
    this.config = config;
    this.filters = filters;
    this.actions = actions;
    this.jail = jail;
  }

  JailDefinition read() {
    Map<String, Text> first = read(FIRST_KEYS);
    if (!BooleanValue.isTrue(text(first, "enabled", "false"))) {
      return new JailDefinition(
          jail, false, options(false), Optional.empty(), List.of(), List.of());
    }
    String backend = text(first, "backend", "auto");
    Optional<FilterFile> filter = openFilter(text(first, "filter", ""), backend, first);

    Map<String, Text> options = read(KEYS);
    Map<String, Text> passed = passed(options, KEYS);
    Map<String, Text> jailFilterOptions = new LinkedHashMap<>(options);
    jailFilterOptions.keySet().retainAll(FilterFile.KEYS);
    Optional<FilterDefinition> definition = filter.isPresent()
        ? Optional.of(filter.get().definition(passed, jailFilterOptions))
        : inlineFilter(passed, jailFilterOptions);
    List<LogPath> logpaths = backend.startsWith("systemd") || !options.containsKey("logpath")
        ? List.of()
        : logpaths(options.get("logpath"));
    return new JailDefinition(
        jail, true, options(true), definition, actions(options, passed), logpaths);
  }

  /**
   * Opens the jail's filter and adds its options to the jail as {@code known/...}, before the
   * jail's own options are read.
   */
  private Optional<FilterFile> openFilter(String name, String backend, Map<String, Text> first) {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Origin origin = origin("filter");
    FilterFile filter = filters.open(parse(name, origin, "filter"), origin);
    filter.applyAutoOptions(backend);
    Map<String, IniOption> known = new LinkedHashMap<>();
    filter.allOptions(passed(first, FIRST_KEYS)).forEach((key, value) -> {
      if (!key.startsWith("known/")) {
        known.put("known/" + key, new IniOption("known/" + key, value, value.origin(origin)));
      }
    });
    config.mergeSection(jail, known);
    return Optional.of(filter);
  }

  private List<ActionDefinition> actions(Map<String, Text> options, Map<String, Text> passed) {
    if (!options.containsKey("action")) {
      return List.of();
    }
    Origin origin = origin("action");
    List<ActionDefinition> definitions = new ArrayList<>();
    for (OptionSpec spec : parseList(options.get("action").toString(), origin)) {
      definitions.add(actions.read(spec, jail, passed, origin));
    }
    return definitions;
  }

  /**
   * A jail without a filter file may still write its own failregex: fail2ban sends the jail's
   * filter options either way.
   */
  private Optional<FilterDefinition> inlineFilter(
      Map<String, Text> passed, Map<String, Text> jailFilterOptions) {
    if (!jailFilterOptions.containsKey("failregex")) {
      return Optional.empty();
    }
    Origin origin = origin("failregex");
    FilterFile inline = new FilterFile(
        new DefinitionFile(jail, origin.file(), MergedConfig.of(List.of()), Map.of()), origin);
    inline.allOptions(passed);
    return Optional.of(inline.definition(passed, jailFilterOptions));
  }

  /** Reads and checks {@code keys} that are set, interpolated ({@code getOptions}). */
  private Map<String, Text> read(List<String> keys) {
    Map<String, Text> values = new LinkedHashMap<>();
    for (String key : keys) {
      Optional<Text> value = config.get(jail, key);
      if (value.isEmpty()) {
        continue;
      }
      values.put(key, value.get());
      Value checked = new Value(value.get().toString(), origin(key));
      if (INTEGERS.contains(key)) {
        checked.toInt("[" + jail + "] " + key);
      } else if (DURATIONS.contains(key)) {
        checked.toTime("[" + jail + "] " + key);
      }
    }
    return values;
  }

  /**
   * The jail's options as fail2ban hands them to filters and actions: converted to bool and
   * int first, so {@code true} reads {@code True} there.
   */
  private Map<String, Text> passed(Map<String, Text> options, List<String> keys) {
    Map<String, Text> passed = new LinkedHashMap<>();
    Origin section = config.sectionOrigin(jail).orElseThrow();
    // fail2ban's getOptions fills these defaults in when the jail does not set them
    DEFAULTS.forEach((key, fallback) -> {
      if (keys.contains(key) && !options.containsKey(key)) {
        passed.put(key, Text.of(fallback, section));
      }
    });
    options.forEach((key, value) -> {
      Origin origin = origin(key);
      if (BOOLEANS.contains(key)) {
        passed.put(key, Text.of(BooleanValue.isTrue(value.toString()) ? "True" : "False", origin));
      } else if (INTEGERS.contains(key)) {
        String number = String.valueOf(Integer.parseInt(value.toString().strip()));
        passed.put(key, Text.of(number, origin));
      } else {
        passed.put(key, value);
      }
    });
    return passed;
  }

  /**
   * Every option of the section and of DEFAULT, interpolated. Keys the jail writes itself, and
   * fail2ban's keys of an enabled jail, must interpolate; other DEFAULT keys are left out when
   * they do not.
   */
  private Map<String, Value> options(boolean enabled) {
    Map<String, Value> options = new LinkedHashMap<>();
    Set<String> own = config.ownOptions(jail).keySet();
    List<String> keys = Stream.concat(own.stream(), config.defaults().keySet().stream())
        .filter(key -> !key.startsWith("known/") && !JailsReader.BUILT_IN.contains(key))
        .distinct().toList();
    for (String key : keys) {
      boolean strict =
          FIRST_KEYS.contains(key) || (enabled && (own.contains(key) || KEYS.contains(key)));
      try {
        config.get(jail, key).ifPresent(value ->
            options.put(key, new Value(value.toString(), origin(key))));
      } catch (ConfigException e) {
        if (strict) {
          throw e;
        }
        // fail2ban only interpolates what it reads: a DEFAULT macro such as action_mwl that
        // this jail cannot fill is unused here, and so is any option of a disabled jail.
      }
    }
    return options;
  }

  private List<LogPath> logpaths(Text logpath) {
    List<LogPath> paths = new ArrayList<>();
    for (Value line : logpath.lines(origin("logpath"))) {
      if (line.text().isEmpty()) {
        continue;
      }
      // fail2ban splits at the last space: "PATH tail" or "PATH head"
      int space = line.text().lastIndexOf(' ');
      String path = space < 0 ? line.text() : line.text().substring(0, space).strip();
      String position = space < 0 ? "head" : line.text().substring(space + 1);
      if (!position.equalsIgnoreCase("head") && !position.equalsIgnoreCase("tail")) {
        throw new ConfigException(line.origin(), "[" + jail + "] logpath: expected PATH, "
            + "PATH head or PATH tail (a path with spaces cannot be read). Found: " + line.text());
      }
      paths.add(new LogPath(path, position.equalsIgnoreCase("tail"), line.origin()));
    }
    return paths;
  }

  private OptionSpec parse(String text, Origin origin, String key) {
    try {
      return OptionSpec.parse(text);
    } catch (ConfigException e) {
      throw new ConfigException(origin, "[" + jail + "] " + key + ": " + e.getMessage());
    }
  }

  private List<OptionSpec> parseList(String text, Origin origin) {
    try {
      return OptionSpec.parseList(text);
    } catch (ConfigException e) {
      throw new ConfigException(origin, "[" + jail + "] action: " + e.getMessage());
    }
  }

  /** Where the option that the jail reads was written: its own section, or DEFAULT. */
  private Origin origin(String key) {
    return config.raw(jail, key).map(IniOption::origin)
        .orElseGet(() -> config.sectionOrigin(jail).orElseThrow());
  }

  private static String text(Map<String, Text> values, String key, String fallback) {
    Text value = values.get(key);
    return value == null ? fallback : value.toString();
  }
}
