package dev.vouch.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads actions ({@code action.d/NAME.conf} and its overlay) the way fail2ban 1.0.2's
 * {@code ActionReader} does, by name with {@code name[key=value]} arguments or by absolute path,
 * looked up along a search path.
 *
 * <p>The jail's name is the {@code name} argument unless one is given, and {@code actname}
 * defaults to the file name, so {@code <name>} and {@code <actname>} always resolve.
 *
 * <p>Confined to one thread: it caches the files it parsed.
 */
public final class ActionReader {
  /** The commands and switches of an action ({@code ActionReader._configOpts}). */
  static final List<String> KEYS = List.of(
      "actionstart", "actionstart_on_demand", "actionstop", "actionflush", "actionreload",
      "actioncheck", "actionrepair", "actionrepair_on_unban", "actionban", "actionprolong",
      "actionreban", "actionunban", "norestored");
  private static final Set<String> BOOLEANS =
      Set.of("actionstart_on_demand", "actionrepair_on_unban", "norestored");
  /** Tags filled per ban, escaped ones first, and timeout: never substituted at read time. */
  private static final Set<String> NOT_SUBSTITUTED =
      Set.of("matches", "ipmatches", "ipjailmatches", "timeout", "bantime");
  private static final Pattern CONDITIONAL =
      Pattern.compile("(\\w+)\\?(.+)", Pattern.UNICODE_CHARACTER_CLASS | Pattern.DOTALL);

  private final SearchPath searchPath;
  private final ConfigFiles files;

  /** @param searchPath directories to look in, first match wins */
  public ActionReader(List<Path> searchPath) {
    this(searchPath, new ConfigFiles());
  }

  ActionReader(List<Path> searchPath, ConfigFiles files) {
    this.searchPath = new SearchPath("action", searchPath);
    this.files = files;
  }

  /**
   * An action for a jail, without the jail's other options.
   *
   * @param action {@code NAME}, {@code NAME[key=value, ...]} or an absolute path
   * @throws ConfigException when the action cannot be found or read
   */
  public ActionDefinition read(String action, String jailName) {
    OptionSpec spec = OptionSpec.parse(action);
    Path base = searchPath.locate(spec.name());
    return read(spec, base, jailName, Map.of(), new Origin(SearchPath.mainFile(base), 1));
  }

  /**
   * An action named in a jail.
   *
   * @param jailOptions the jail's options as fail2ban passes them: they fill {@code %(x)s}
   * @param origin where the jail names the action
   */
  ActionDefinition read(OptionSpec spec, String jailName, Map<String, Text> jailOptions,
      Origin origin) {
    if (spec.name().endsWith(".py")) {
      throw new ConfigException(origin, "action " + spec.name() + " is a Python action, which"
          + " only fail2ban can run. Expected an action.d file NAME.conf");
    }
    Path base;
    try {
      base = searchPath.locate(spec.name());
    } catch (ConfigException e) {
      throw new ConfigException(origin, e.getMessage());
    }
    return read(spec, base, jailName, jailOptions, origin);
  }

  private ActionDefinition read(OptionSpec spec, Path base, String jailName,
      Map<String, Text> jailOptions, Origin origin) {
    Map<String, Text> arguments = new LinkedHashMap<>();
    spec.options().forEach((key, value) -> arguments.put(key, Text.of(value, origin)));
    String name = arguments.computeIfAbsent("name", key -> Text.of(jailName, origin)).toString();
    String actname = arguments.computeIfAbsent("actname",
        key -> Text.of(defaultActname(spec.name(), name, jailName), origin)).toString();
    DefinitionFile definition =
        new DefinitionFile(spec.name(), SearchPath.mainFile(base), files.read(base), arguments);
    definition.read(jailOptions, KEYS, false);
    Map<String, Text> combined = definition.combined(NOT_SUBSTITUTED);

    Map<String, String> properties = new LinkedHashMap<>();
    combined.forEach((key, value) -> {
      if (KEYS.contains(key)) {
        properties.put(key, BOOLEANS.contains(key)
            ? String.valueOf(BooleanValue.isTrue(value.toString()))
            : value.toString());
      }
    });
    Map<String, Map<String, String>> conditional = new LinkedHashMap<>();
    definition.initOptions().forEach((key, value) -> {
      if (KEYS.contains(key) || key.startsWith("known/")) {
        return;
      }
      Matcher condition = CONDITIONAL.matcher(key);
      if (condition.matches()) {
        conditional.computeIfAbsent(condition.group(2), c -> new LinkedHashMap<>())
            .put(condition.group(1), value.toString());
      } else {
        properties.put(key, value.toString());
      }
    });
    return new ActionDefinition(
        spec.name(), actname, definition.file(), properties, conditional);
  }

  /** The file name, plus the {@code name} argument when it is not the jail's name. */
  private static String defaultActname(String file, String name, String jailName) {
    if (name.equals(jailName)) {
      return file;
    }
    return file + (name.startsWith(jailName) ? name.substring(jailName.length()) : "-" + name);
  }
}
