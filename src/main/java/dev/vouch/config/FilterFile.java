package dev.vouch.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One filter file being read for one jail, in the steps of fail2ban's {@code JailReader}: the
 * {@code logtype} from the backend, the options the jail may read as {@code known/...}, then the
 * definition once the jail's own options are known.
 */
final class FilterFile {
  /** The options of a filter that a jail may also set ({@code FilterReader._configOpts}). */
  static final List<String> KEYS = List.of(
      "usedns", "prefregex", "ignoreregex", "failregex", "maxlines", "datepattern", "journalmatch");

  private final DefinitionFile definition;
  private final Origin origin;
  private Map<String, String> options = Map.of();

  /** @param origin where the jail (or the caller) named the filter */
  FilterFile(DefinitionFile definition, Origin origin) {
    this.definition = definition;
    this.origin = origin;
  }

  /**
   * Sets {@code logtype} to {@code file}, or {@code journal} for a systemd backend, unless the
   * jail's arguments or the filter's own {@code [Definition]} set it
   * ({@code FilterReader.applyAutoOptions}).
   */
  void applyAutoOptions(String backend) {
    Text given = definition.initOptions().get("logtype");
    if ((given == null || given.length() == 0) && !definition.definesOwn("logtype")) {
      String logtype = backend.startsWith("systemd") ? "journal" : "file";
      definition.initOptions().put("logtype", Text.of(logtype, origin));
    }
  }

  /**
   * Every option of the filter, substituted: the first reading, which the jail adds to its own
   * options as {@code known/...}.
   */
  Map<String, Text> allOptions(Map<String, Text> jailOptions) {
    definition.read(jailOptions, KEYS, true);
    Map<String, Text> combined = definition.combined(Set.of());
    options = new LinkedHashMap<>();
    combined.forEach((key, value) -> {
      if (!key.startsWith("known/")) {
        options.put(key, value.toString());
      }
    });
    return combined;
  }

  /**
   * The filter for a jail whose options are now known.
   *
   * @param jailOptions the jail's options as fail2ban passes them (typed values as text)
   * @param jailFilterOptions the jail's own values of {@link #KEYS}, which replace the filter's
   */
  FilterDefinition definition(Map<String, Text> jailOptions, Map<String, Text> jailFilterOptions) {
    definition.read(jailOptions, KEYS, false);
    Map<String, Text> filter = definition.combined(Set.of());
    // fail2ban sends the filter's values, then the jail's. A filter's value remains only when it
    // comes from [Init] or the arguments; then usedns, maxlines and prefregex keep the filter's
    // (they are inserted at the front of the stream), datepattern takes the jail's, and the
    // lists get both (JailReader.convert, FilterReader._fillStream).
    Optional<Text> prefregex = first(filter, jailFilterOptions, "prefregex");
    Optional<Text> maxlines = first(filter, jailFilterOptions, "maxlines");
    Optional<Text> usedns = first(filter, jailFilterOptions, "usedns");
    Optional<Text> datepattern = first(jailFilterOptions, filter, "datepattern");
    return new FilterDefinition(
        definition.name(),
        definition.file(),
        prefregex.filter(text -> text.length() > 0)
            .map(text -> new Value(text.toString(), text.origin(origin))),
        regexes(filter, jailFilterOptions, "failregex"),
        regexes(filter, jailFilterOptions, "ignoreregex"),
        maxlines.map(this::maxlines).orElse(1),
        datepattern.map(FilterFile::datepatterns).orElse(List.of()),
        regexes(filter, jailFilterOptions, "journalmatch").stream().map(Value::text).toList(),
        usedns.map(Text::toString),
        options);
  }

  private static Optional<Text> first(Map<String, Text> first, Map<String, Text> second,
      String key) {
    return Optional.ofNullable(first.get(key)).or(() -> Optional.ofNullable(second.get(key)));
  }

  private List<Value> regexes(Map<String, Text> filter, Map<String, Text> jail, String key) {
    List<Value> lines = new ArrayList<>();
    for (Map<String, Text> source : List.of(filter, jail)) {
      Text value = source.get(key);
      if (value != null) {
        value.lines(origin).stream().filter(line -> !line.text().isEmpty()).forEach(lines::add);
      }
    }
    return lines;
  }

  private int maxlines(Text text) {
    Value value = new Value(text.toString(), text.origin(origin));
    int maxlines = value.toInt("maxlines");
    if (maxlines < 1) {
      throw new ConfigException(value.origin(), "maxlines: expected 1 or more. Found: " + text);
    }
    return maxlines;
  }

  /** The server splits a datepattern into stripped, non-empty lines. */
  private static List<String> datepatterns(Text text) {
    return text.toString().lines().map(IniParser::strip).filter(line -> !line.isEmpty()).toList();
  }
}
