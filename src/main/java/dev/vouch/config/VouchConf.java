package dev.vouch.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * vouch's own settings, from {@code vouch.conf} (and {@code vouch.local}, {@code vouch.d/}) in
 * the config directory. Every key is checked: a key vouch does not know is an error naming its
 * file:line, since a typo here would silently keep a default. Relative paths are relative to the
 * config directory.
 *
 * @param filterPath directories searched for filters after the config directory's filter.d
 * @param actionPath directories searched for actions after the config directory's action.d
 */
public record VouchConf(Path configDir, Path dbfile, Path socket, Optional<String> socketGroup,
    String logtarget, String loglevel, List<Path> filterPath, List<Path> actionPath,
    Duration dnsRefresh, int maxLineLength, Fail2banConf fail2ban) {

  /**
   * The {@code [fail2ban]} section: where fail2ban's socket is and how vouch keeps its ignore
   * lists in step.
   *
   * @param sync whether to push the allowlist into fail2ban; empty = when its socket exists
   */
  public record Fail2banConf(Path socket, Optional<Boolean> sync, Duration syncInterval,
      boolean unbanOnAllow, Duration timeout) {}

  public static final Path DEFAULT_DB = Path.of("/var/lib/vouch/vouch");
  public static final Path DEFAULT_SOCKET = Path.of("/run/vouch/vouch.sock");
  public static final Path FAIL2BAN_SOCKET = Path.of("/run/fail2ban/fail2ban.sock");

  private static final Set<String> DEFINITION_KEYS = Set.of("dbfile", "socket", "socketgroup",
      "logtarget", "loglevel", "filterpath", "actionpath", "dnsrefresh", "maxlinelength");
  private static final Set<String> FAIL2BAN_KEYS =
      Set.of("socket", "sync", "syncinterval", "unbanonallow", "timeout");

  /**
   * Reads the settings of {@code configDir}; {@code install} is vouch's own directory (its
   * filters/ and actions/ are searched after the config directory's).
   *
   * @throws ConfigException with file:line for an unknown key or a bad value
   */
  public static VouchConf read(Path configDir, Path install) {
    OverlayConfig config = OverlayConfig.read(configDir, "vouch");
    for (String section : config.sections()) {
      if (!section.equals("Definition") && !section.equals("fail2ban")) {
        ConfigSection unknown = config.section(section).orElseThrow();
        throw new ConfigException(unknown.origin(), "unknown section [" + section
            + "]. Expected [Definition] or [fail2ban].");
      }
    }
    Map<String, Value> definition = options(config, "Definition", DEFINITION_KEYS);
    Map<String, Value> fail2ban = options(config, "fail2ban", FAIL2BAN_KEYS);

    Path db = path(configDir, definition, "dbfile", DEFAULT_DB);
    Path socket = path(configDir, definition, "socket", DEFAULT_SOCKET);
    Optional<String> group = Optional.ofNullable(definition.get("socketgroup"))
        .map(Value::text).map(String::strip).filter(text -> !text.isEmpty());
    String logtarget = text(definition, "logtarget", "STDERR");
    String loglevel = text(definition, "loglevel", "INFO").toUpperCase(java.util.Locale.ROOT);
    if (!Set.of("CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG")
        .contains(loglevel)) {
      throw new ConfigException(definition.get("loglevel").origin(), "loglevel: expected"
          + " CRITICAL, ERROR, WARNING, NOTICE, INFO or DEBUG. Found: " + loglevel);
    }
    List<Path> filterPath = paths(configDir, definition, "filterpath",
        List.of(install.resolve("filters"), Path.of("/etc/fail2ban/filter.d")));
    List<Path> actionPath = paths(configDir, definition, "actionpath",
        List.of(install.resolve("actions"), Path.of("/etc/fail2ban/action.d")));
    Duration dnsRefresh = duration(definition, "dnsrefresh", Duration.ofMinutes(5));
    int maxLine = definition.containsKey("maxlinelength")
        ? definition.get("maxlinelength").toInt("maxlinelength") : 64 * 1024;

    Optional<Boolean> sync = Optional.ofNullable(fail2ban.get("sync"))
        .filter(value -> !value.text().strip().equalsIgnoreCase("auto"))
        .map(value -> value.toBoolean("sync"));
    Fail2banConf fail2banConf = new Fail2banConf(path(configDir, fail2ban, "socket",
        FAIL2BAN_SOCKET), sync, duration(fail2ban, "syncinterval", Duration.ofSeconds(30)),
        !fail2ban.containsKey("unbanonallow") || fail2ban.get("unbanonallow")
            .toBoolean("unbanonallow"),
        duration(fail2ban, "timeout", Duration.ofSeconds(5)));
    return new VouchConf(configDir, db, socket, group, logtarget, loglevel, filterPath,
        actionPath, dnsRefresh, maxLine, fail2banConf);
  }

  /** The search path for filters: the config directory's filter.d, then {@link #filterPath}. */
  public List<Path> filterSearchPath() {
    List<Path> path = new ArrayList<>();
    path.add(configDir.resolve("filter.d"));
    path.addAll(filterPath);
    return path;
  }

  public List<Path> actionSearchPath() {
    List<Path> path = new ArrayList<>();
    path.add(configDir.resolve("action.d"));
    path.addAll(actionPath);
    return path;
  }

  private static Map<String, Value> options(OverlayConfig config, String section,
      Set<String> known) {
    Map<String, Value> options = config.section(section).map(ConfigSection::options)
        .orElse(Map.of());
    for (Map.Entry<String, Value> option : options.entrySet()) {
      if (!known.contains(option.getKey())) {
        throw new ConfigException(option.getValue().origin(), "unknown option '"
            + option.getKey() + "' in [" + section + "]. Expected one of: "
            + String.join(", ", known.stream().sorted().toList()) + ".");
      }
    }
    return options;
  }

  private static String text(Map<String, Value> options, String key, String fallback) {
    Value value = options.get(key);
    return value == null || value.text().isBlank() ? fallback : value.text().strip();
  }

  private static Path path(Path configDir, Map<String, Value> options, String key,
      Path fallback) {
    Value value = options.get(key);
    if (value == null || value.text().isBlank()) {
      return fallback;
    }
    return configDir.resolve(value.text().strip()).normalize();
  }

  private static List<Path> paths(Path configDir, Map<String, Value> options, String key,
      List<Path> fallback) {
    Value value = options.get(key);
    if (value == null || value.text().isBlank()) {
      return fallback;
    }
    List<Path> paths = new ArrayList<>();
    for (String entry : value.text().strip().split("\\s+")) {
      paths.add(configDir.resolve(entry).normalize());
    }
    return paths;
  }

  private static Duration duration(Map<String, Value> options, String key, Duration fallback) {
    Value value = options.get(key);
    if (value == null || value.text().isBlank()) {
      return fallback;
    }
    TimeValue time = value.toTime(key);
    if (time.isPermanent() || time.seconds() <= 0) {
      throw new ConfigException(value.origin(), key + ": expected a positive duration like 30s"
          + " or 5m. Found: " + value.text().strip());
    }
    return time.toDuration();
  }
}
