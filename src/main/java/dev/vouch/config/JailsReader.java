package dev.vouch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the jails of a config directory ({@code jail.conf}, {@code jail.d/*.conf},
 * {@code jail.local}, {@code jail.d/*.local} and their includes) as fail2ban 1.0.2 reads them,
 * with each jail's filter and actions resolved along search paths.
 *
 * <p>Like fail2ban's client it offers two defaults of its own to interpolation:
 * {@code %(fail2ban_version)s} (the version whose behaviour is followed, 1.0.2) and
 * {@code %(fail2ban_confpath)s} (the config directory).
 *
 * <p>Each call of {@link #read()} reads the files afresh; an instance is not thread-safe.
 */
public final class JailsReader {
  /** The fail2ban version whose configuration semantics this package follows. */
  public static final String FAIL2BAN_VERSION = "1.0.2";

  /** The defaults fail2ban's JailReader adds ({@code merge_defaults}): not options of a jail. */
  static final Set<String> BUILT_IN = Set.of("fail2ban_version", "fail2ban_confpath");

  private final Path configDir;
  private final List<Path> filterPath;
  private final List<Path> actionPath;

  /**
   * @param configDir where {@code jail.conf} and friends are
   * @param filterPath directories searched for filters, in order
   * @param actionPath directories searched for actions, in order
   */
  public JailsReader(Path configDir, List<Path> filterPath, List<Path> actionPath) {
    this.configDir = configDir;
    this.filterPath = List.copyOf(filterPath);
    this.actionPath = List.copyOf(actionPath);
  }

  /** fail2ban's own layout: filters in {@code filter.d/}, actions in {@code action.d/}. */
  public static JailsReader ofFail2ban(Path configDir) {
    return new JailsReader(
        configDir, List.of(configDir.resolve("filter.d")), List.of(configDir.resolve("action.d")));
  }

  /**
   * Every jail section in the order the sections first appear, enabled or not.
   *
   * @throws ConfigException naming file:line of the first error
   */
  public List<JailDefinition> read() {
    ConfigFiles files = new ConfigFiles();
    MergedConfig config = files.readPrivate(configDir.resolve("jail"));
    config.mergeDefaults(builtInDefaults());
    FilterReader filters = new FilterReader(filterPath, files);
    ActionReader actions = new ActionReader(actionPath, files);
    List<JailDefinition> jails = new ArrayList<>();
    for (String section : config.sectionNames()) {
      if (!section.equals("INCLUDES")) {
        jails.add(new JailReader(config, filters, actions, section).read());
      }
    }
    return jails;
  }

  private Map<String, IniOption> builtInDefaults() {
    // They are written nowhere; point at the main file of the directory.
    Origin origin = new Origin(configDir.resolve("jail.conf"), 1);
    return Map.of(
        "fail2ban_version", builtIn("fail2ban_version", FAIL2BAN_VERSION, origin),
        "fail2ban_confpath", builtIn("fail2ban_confpath", configDir.toString(), origin));
  }

  private static IniOption builtIn(String name, String value, Origin origin) {
    return new IniOption(name, Text.of(value, origin), origin);
  }
}
