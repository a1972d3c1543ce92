package dev.vouch.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several files read as one, the way fail2ban's {@code SafeConfigParserWithIncludes.read} merges
 * them: a later file wins per key, {@code [DEFAULT]} options are merged too, and a conditional
 * section such as {@code [Init?family=inet6]} becomes options {@code name?family=inet6} of
 * {@code [Init]}.
 *
 * <p>Before a later file overwrites a key of a section, the old value is kept in a hidden section
 * {@code KNOWN/<section>}: that is what {@code %(known/failregex)s} reads.
 *
 * <p>Not thread-safe; the jail reader adds options to it while it reads jails.
 */
final class MergedConfig {
  static final String DEFAULT = IniParser.DEFAULT;
  private static final String KNOWN = "KNOWN/";
  private static final Pattern CONDITIONAL =
      Pattern.compile("(\\w+)(\\?.+)", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern SECTION_OPTION =
      Pattern.compile("([\\w\\-]+)/([^\\s>]+)", Pattern.UNICODE_CHARACTER_CLASS);

  private final List<Path> files;
  private final Map<String, IniOption> defaults = new LinkedHashMap<>();
  private final Map<String, Map<String, IniOption>> sections = new LinkedHashMap<>();
  private final Map<String, Origin> sectionOrigins = new LinkedHashMap<>();

  private MergedConfig(List<Path> files) {
    this.files = List.copyOf(files);
  }

  /** Merges files in order; an empty list gives an empty config. */
  static MergedConfig of(List<IniFile> files) {
    MergedConfig config = new MergedConfig(files.stream().map(IniFile::path).toList());
    for (IniFile file : files) {
      config.defaults.putAll(file.defaults());
      for (IniFile.Section section : file.sections().values()) {
        config.merge(section);
      }
    }
    return config;
  }

  private void merge(IniFile.Section section) {
    String name = section.name();
    Map<String, IniOption> options = section.options();
    Matcher conditional = CONDITIONAL.matcher(name);
    if (conditional.matches()) {
      name = conditional.group(1);
      String condition = conditional.group(2);
      Map<String, IniOption> renamed = new LinkedHashMap<>();
      options.forEach((key, option) -> renamed.put(key + condition,
          new IniOption(key + condition, option.value(), option.origin())));
      options = renamed;
    }
    Map<String, IniOption> existing = sections.get(name);
    if (existing == null) {
      sections.put(name, new LinkedHashMap<>(options));
      sectionOrigins.put(name, section.origin());
      return;
    }
    Map<String, IniOption> known =
        sections.computeIfAbsent(KNOWN + name, k -> new LinkedHashMap<>());
    for (String key : options.keySet()) {
      if (existing.containsKey(key)) {
        known.put(key, existing.get(key));
      }
    }
    existing.putAll(options);
  }

  /** The files read, in the order they were merged. */
  List<Path> files() {
    return files;
  }

  /** Section names in the order they first appeared, without the hidden KNOWN ones. */
  List<String> sectionNames() {
    return sections.keySet().stream().filter(name -> !name.startsWith(KNOWN)).toList();
  }

  boolean hasSection(String name) {
    return sections.containsKey(name);
  }

  Optional<Origin> sectionOrigin(String name) {
    return Optional.ofNullable(sectionOrigins.get(name));
  }

  /** A section's own options (not those of DEFAULT), in file order; empty when it is missing. */
  Map<String, IniOption> ownOptions(String section) {
    return Collections.unmodifiableMap(sections.getOrDefault(section, Map.of()));
  }

  Map<String, IniOption> defaults() {
    return Collections.unmodifiableMap(defaults);
  }

  /** The value {@code key} had in {@code section} before a later file overwrote it. */
  Optional<IniOption> knownOption(String section, String key) {
    return Optional.ofNullable(sections.getOrDefault(KNOWN + section, Map.of()).get(key));
  }

  /** Adds (or replaces) DEFAULT options, as fail2ban's {@code merge_defaults}. */
  void mergeDefaults(Map<String, IniOption> options) {
    defaults.putAll(options);
  }

  /** Adds (or replaces) options of a section, as fail2ban's {@code merge_section}. */
  void mergeSection(String section, Map<String, IniOption> options) {
    sections.computeIfAbsent(section, k -> new LinkedHashMap<>()).putAll(options);
  }

  /**
   * The raw (not interpolated) option of a section or of DEFAULT, as Python's
   * {@code get(raw=True)} finds it.
   */
  Optional<IniOption> raw(String section, String key) {
    String name = key.toLowerCase(Locale.ROOT);
    IniOption own = sections.getOrDefault(section, Map.of()).get(name);
    return Optional.ofNullable(own != null ? own : defaults.get(name));
  }

  /**
   * An option's value after {@code %(name)s} interpolation: Python's {@code get(section, key,
   * vars=vars)}. {@code vars} take precedence over the section, the section over DEFAULT.
   *
   * @return empty when the section (other than DEFAULT) or the option does not exist
   * @throws ConfigException for a missing reference, a loop or a bad {@code %}
   */
  Optional<Text> get(String section, String key, Map<String, Text> vars) {
    if (!section.equals(DEFAULT) && !sections.containsKey(section)) {
      return Optional.empty();
    }
    Interpolation interpolation = new Interpolation(this, section, vars);
    String name = key.toLowerCase(Locale.ROOT);
    return interpolation.lookup(name).map(raw -> interpolation.interpolate(name, raw));
  }

  Optional<Text> get(String section, String key) {
    return get(section, key, Map.of());
  }

  /** One option of {@code section}, given raw, after interpolation in that section. */
  Text interpolate(String section, IniOption option) {
    return new Interpolation(this, section, Map.of()).interpolate(option.name(), option.value());
  }

  /**
   * fail2ban's {@code get_ex}, used for tags: {@code known/opt} reads the value of {@code opt}
   * before it was overwritten (else the current one), {@code sec/opt} reads another section (or
   * DEFAULT); anything else reads {@code section} with {@code vars}.
   */
  Optional<Text> getEx(String section, String key, Map<String, Text> vars) {
    Matcher sectionOption = SECTION_OPTION.matcher(key);
    if (key.contains("/") && sectionOption.matches()) {
      String other = sectionOption.group(1);
      String option = sectionOption.group(2);
      List<String> candidates = switch (other.toLowerCase(Locale.ROOT)) {
        case "known" -> List.of(KNOWN + section, section);
        case "default" -> List.of(DEFAULT);
        default -> List.of(other);
      };
      for (String candidate : candidates) {
        Optional<Text> value = get(candidate, option);
        if (value.isPresent()) {
          return value;
        }
      }
    }
    return get(section, key, vars);
  }
}
