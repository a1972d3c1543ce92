package dev.vouch.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A config name read with fail2ban's overlay ({@code NAME.conf}, {@code NAME.d/*.conf},
 * {@code NAME.local}, {@code NAME.d/*.local}, includes, {@code [DEFAULT]}, {@code %(x)s}), for
 * files such as {@code vouch.conf} whose sections have no fail2ban meaning.
 *
 * <p>Immutable once read; values are interpolated when asked for.
 */
public final class OverlayConfig {
  private final MergedConfig config;

  private OverlayConfig(MergedConfig config) {
    this.config = config;
  }

  /**
   * Reads {@code dir/NAME.conf} and the rest of its overlay. No file at all gives an empty
   * config: see {@link #files()}.
   *
   * @throws ConfigException for syntax errors, with file:line
   */
  public static OverlayConfig read(Path dir, String name) {
    return new OverlayConfig(new ConfigFiles().readPrivate(dir.resolve(name)));
  }

  /** The files read, in the order they were applied (later ones win). */
  public List<Path> files() {
    return config.files();
  }

  /** Section names in the order they first appear, without DEFAULT and INCLUDES. */
  public List<String> sections() {
    return config.sectionNames().stream().filter(name -> !name.equals("INCLUDES")).toList();
  }

  /**
   * A section with its own options interpolated (references may use DEFAULT, other sections and
   * {@code %(__name__)s}).
   *
   * @throws ConfigException for a missing reference or a loop, with file:line
   */
  public Optional<ConfigSection> section(String name) {
    if (!config.hasSection(name) || name.equals("INCLUDES")) {
      return Optional.empty();
    }
    Map<String, Value> options = new LinkedHashMap<>();
    for (IniOption option : config.ownOptions(name).values()) {
      options.put(option.name(),
          new Value(config.interpolate(name, option).toString(), option.origin()));
    }
    return Optional.of(new ConfigSection(name, config.sectionOrigin(name).orElseThrow(), options));
  }

  /** The DEFAULT options, interpolated. */
  public Map<String, Value> defaults() {
    Map<String, Value> options = new LinkedHashMap<>();
    for (IniOption option : config.defaults().values()) {
      options.put(option.name(),
          new Value(config.interpolate(MergedConfig.DEFAULT, option).toString(), option.origin()));
    }
    return options;
  }
}
