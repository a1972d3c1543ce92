package dev.vouch.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A filter or action file read the way fail2ban's {@code DefinitionInitConfigReader} reads it:
 * options of {@code [Definition]}, overridden by {@code [Init]}, overridden by the jail's
 * {@code name[key=value]} arguments, then {@code <tag>}s substituted among all of them.
 *
 * <p>{@code [Init]} options are also offered as {@code known/name}, so an argument can extend the
 * value it replaces: {@code x[p="<known/p>|three"]}. Options of {@code [Definition]} that are
 * not read directly are still found by tags, through {@link MergedConfig#getEx}.
 *
 * <p>Confined to the thread reading one jail.
 */
final class DefinitionFile {
  static final String DEFINITION = "Definition";
  static final String INIT = "Init";
  private static final Pattern CONDITIONAL =
      Pattern.compile("(\\w+)(\\?.+)", Pattern.UNICODE_CHARACTER_CLASS | Pattern.DOTALL);

  private final String name;
  private final Path file;
  private final MergedConfig config;
  private final Map<String, Text> initOptions;
  private Map<String, Text> definitionOptions = new LinkedHashMap<>();
  private Map<String, Text> passedOptions = Map.of();
  private final Map<String, Optional<Text>> tagLookups = new HashMap<>();

  /**
   * @param name the name the jail used ({@code sshd}, {@code iptables-multiport})
   * @param file the main file, for messages
   * @param arguments the jail's {@code name[key=value]} arguments
   */
  DefinitionFile(String name, Path file, MergedConfig config, Map<String, Text> arguments) {
    this.name = name;
    this.file = file;
    this.config = config;
    this.initOptions = new LinkedHashMap<>(arguments);
  }

  String name() {
    return name;
  }

  Path file() {
    return file;
  }

  /** True when {@code [Definition]} itself (not DEFAULT) sets {@code key}. */
  boolean definesOwn(String key) {
    return config.ownOptions(DEFINITION).containsKey(key);
  }

  /** The arguments and {@code [Init]} options read so far. */
  Map<String, Text> initOptions() {
    return initOptions;
  }

  /**
   * Reads the options ({@code getOptions}). {@code passed} are the jail's options: a key the
   * jail sets is not read from {@code [Definition]}, and they fill {@code %(x)s} references.
   *
   * @param keys the options this kind of file has (failregex, actionban, ...)
   * @param allDefinitionOptions also read every other option of {@code [Definition]}
   */
  void read(Map<String, Text> passed, List<String> keys, boolean allDefinitionOptions) {
    Map<String, Text> vars = new LinkedHashMap<>(passed);
    vars.putAll(initOptions);
    definitionOptions = new LinkedHashMap<>();
    for (String key : keys) {
      if (!vars.containsKey(key)) {
        config.get(DEFINITION, key, vars).ifPresent(value -> definitionOptions.put(key, value));
      }
    }
    passedOptions = vars;
    for (IniOption option : config.ownOptions(INIT).values()) {
      String key = option.name();
      Text value = config.interpolate(INIT, option);
      if (!key.startsWith("known/")) {
        initOptions.put("known/" + key, value);
      }
      initOptions.putIfAbsent(key, value);
    }
    if (allDefinitionOptions) {
      for (IniOption option : config.ownOptions(DEFINITION).values()) {
        if (!definitionOptions.containsKey(option.name())) {
          definitionOptions.put(option.name(), config.interpolate(DEFINITION, option));
        }
      }
    }
  }

  /**
   * The options read, {@code [Init]} and arguments over {@code [Definition]}, with tags
   * substituted ({@code getCombined}). A conditional option such as
   * {@code blocktype?family=inet6} makes {@code <blocktype>} stay a tag, for the action to
   * resolve per address family.
   *
   * @param ignore options that are neither substituted nor substituted into
   */
  Map<String, Text> combined(Set<String> ignore) {
    Map<String, Text> combined = new LinkedHashMap<>(definitionOptions);
    combined.putAll(initOptions);
    Set<String> skipped = new HashSet<>(ignore);
    for (String key : combined.keySet()) {
      Matcher conditional = CONDITIONAL.matcher(key);
      if (conditional.matches()) {
        skipped.add(conditional.group(1));
      }
    }
    return Tags.substitute(combined, skipped, this::lookupForTag);
  }

  /** A tag that is no option read: {@code <known/opt>}, {@code <sec/opt>}, DEFAULT, or vars. */
  private Optional<Text> lookupForTag(String tag) {
    Optional<Text> cached = tagLookups.get(tag);
    if (cached == null) {
      cached = config.getEx(DEFINITION, tag, passedOptions);
      tagLookups.put(tag, cached);
    }
    return cached;
  }
}
