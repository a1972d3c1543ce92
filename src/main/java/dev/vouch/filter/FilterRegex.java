package dev.vouch.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * One prefregex, failregex or ignoreregex of a filter: fail2ban's tags expanded, compiled, and
 * what the filter needs to know about its groups and required literals. Immutable.
 */
final class FilterRegex {
  /** Groups that identify a failure, in fail2ban's order. */
  static final List<String> FAILURE_ID_GROUPS = List.of("fid", "ip4", "ip6", "dns");

  /** fail2ban's R_GLOB2LOCFLAGS: {@code ((?i)x)} and {@code (?:(?i)x)} become {@code (?i:x)}. */
  private static final java.util.regex.Pattern GLOBAL_FLAGS =
      java.util.regex.Pattern.compile("(?<!\\\\)\\((?:\\?:)?(\\(\\?[a-z]+)\\)");

  private final RegexSource source;
  private final CompiledRegex regex;
  /** Group names by Python group number (null for unnamed groups). */
  private final String[] names;
  /** Named groups: what a failure map holds of this regex's, before merging adds to it. */
  private final int namedGroups;
  /**
   * (alt_x or tuple_x group, target name), sorted as fail2ban sorts them. Arrays, not lists: a
   * loop over a list makes an iterator on every match.
   */
  private final String[][] altValues;
  private final String[][] tupleValues;
  private final List<Set<String>> requiredLiterals;

  private FilterRegex(RegexSource source, CompiledRegex regex, List<Set<String>> literals) {
    this.source = source;
    this.regex = regex;
    this.requiredLiterals = literals;
    this.names = new String[regex.groupCount() + 1];
    // Interned: the failure maps are keyed by these, and looked up by the constants "mlfid",
    // "ip4" and so on, which then match by identity instead of by their characters.
    regex.groupNames().forEach((name, index) -> names[index] = name.intern());
    List<String[]> alts = new ArrayList<>();
    List<String[]> tuples = new ArrayList<>();
    for (String name : regex.groupNames().keySet()) {
      if (name.length() <= 4) {
        continue;
      }
      String prefix = name.startsWith("alt_") ? "alt_" : name.startsWith("tuple_") ? "tuple_" : null;
      if (prefix == null) {
        continue;
      }
      String target = FilterTags.groupName(name.substring(prefix.length()).replaceFirst("_\\d+$", ""));
      String[] pair = {name.intern(), target.intern()};
      (prefix.equals("alt_") ? alts : tuples).add(pair);
    }
    Comparator<String[]> order = Comparator.<String[], String>comparing(pair -> pair[0])
        .thenComparing(pair -> pair[1]);
    alts.sort(order);
    tuples.sort(order);
    this.altValues = alts.toArray(new String[0][]);
    this.tupleValues = tuples.toArray(new String[0][]);
    this.namedGroups = regex.groupNames().size();
  }

  /**
   * Compiles a regex as fail2ban's {@code Regex} does: tags expanded, global flags made local.
   *
   * @throws FilterException naming the regex's origin and what is wrong
   */
  static FilterRegex compile(RegexSource source, String kind, boolean useDns, boolean multiline) {
    if (source.text().strip().isEmpty()) {
      throw new FilterException(source.origin() + ": " + kind + ": cannot add an empty regex");
    }
    String expanded = FilterTags.expand(source.text(), useDns);
    Matcher flags = GLOBAL_FLAGS.matcher(expanded);
    expanded = flags.replaceAll("$1:");
    try {
      CompiledRegex compiled = CompiledRegex.compile(expanded,
          multiline ? PythonRegexParser.MULTILINE : 0);
      return new FilterRegex(source, compiled, RequiredLiterals.of(compiled.tree()));
    } catch (RegexSyntaxException e) {
      throw new FilterException(source.origin() + ": " + kind + ": " + e.getMessage());
    }
  }

  RegexSource source() {
    return source;
  }

  CompiledRegex regex() {
    return regex;
  }

  boolean hasGroup(String name) {
    return regex.groupNames().containsKey(name);
  }

  /** True when the regex has a group that identifies a failure (or a multi-line id). */
  boolean hasFailureId() {
    return FAILURE_ID_GROUPS.stream().anyMatch(this::hasGroup) || hasGroup("mlfid");
  }

  List<Set<String>> requiredLiterals() {
    return requiredLiterals;
  }

  RegexMatch search(CharSequence text) {
    return regex.search(text);
  }

  /**
   * The named groups of a match, as Python's {@code groupdict()} (null for groups that did not
   * take part), with fail2ban's alt_ and tuple_ merging.
   */
  Map<String, Object> groups(RegexMatch match) {
    return groups(capture(match));
  }

  /**
   * The texts of a match's named groups, by group number: what {@link #groups(Captured)} needs,
   * in one array, so that a match made on one thread is cheap to read on another.
   */
  Captured capture(RegexMatch match) {
    return capture(match, -1);
  }

  /** {@link #capture(RegexMatch)} but for group {@code skip}, left null (its text unmade). */
  Captured capture(RegexMatch match, int skip) {
    String[] values = new String[names.length];
    for (int index = 1; index < names.length; index++) {
      if (names[index] != null && index != skip) {
        values[index] = match.group(index);
      }
    }
    return new Captured(this, values);
  }

  /** The texts of a match's named groups, by group number ({@link #capture}). */
  record Captured(FilterRegex regex, String[] values) {}

  /** {@link #groups(RegexMatch)} of a captured match. */
  Map<String, Object> groups(Captured captured) {
    String[] values = captured.values();
    FailureData groups = new FailureData(namedGroups + 6); // room for merge's entries
    for (int index = 1; index < names.length; index++) {
      if (names[index] != null) {
        groups.append(names[index], values[index]); // group names differ
      }
    }
    for (String[] alt : altValues) {
      Object value = groups.get(alt[0]);
      Object current = groups.get(alt[1]);
      if (isSet(value) && !isSet(current)) {
        groups.put(alt[1], value);
      }
    }
    for (String[] tuple : tupleValues) {
      Object value = groups.get(tuple[0]);
      Object current = groups.get(tuple[1]);
      List<Object> parts = new ArrayList<>();
      if (current instanceof GroupTuple existing) {
        parts.addAll(existing.parts());
      } else {
        parts.add(current);
      }
      parts.add(value);
      groups.put(tuple[1], new GroupTuple(parts));
    }
    return groups;
  }

  /**
   * Adds to {@code failure} the groups of a prefregex match that it lacks, but its content: what
   * {@link #groups(Captured)} would give, without a map of its own where there are no alt_ or
   * tuple_ groups to merge.
   */
  void addGroups(Captured captured, Map<String, Object> failure) {
    if (altValues.length > 0 || tupleValues.length > 0) {
      groups(captured).forEach((name, value) -> {
        if (!name.equals("content") && !failure.containsKey(name)) {
          failure.put(name, value);
        }
      });
      return;
    }
    String[] values = captured.values();
    for (int index = 1; index < names.length; index++) {
      String name = names[index];
      if (name != null && !name.equals("content") && !failure.containsKey(name)) {
        failure.put(name, values[index]);
      }
    }
  }

  /** Python truthiness of a value in fail2ban's failure data. */
  static boolean isSet(Object value) {
    if (value instanceof String text) {
      return !text.isEmpty();
    }
    if (value instanceof Integer number) {
      return number != 0;
    }
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof java.util.Collection<?> collection) {
      return !collection.isEmpty();
    }
    return value != null;
  }

  /** Values combined by {@code <F-TUPLE_…>} groups. */
  record GroupTuple(List<Object> parts) {
    @Override
    public String toString() {
      StringBuilder text = new StringBuilder("(");
      for (int i = 0; i < parts.size(); i++) {
        text.append(i > 0 ? ", " : "").append(parts.get(i));
      }
      return text.append(parts.size() == 1 ? ",)" : ")").toString();
    }
  }

  @Override
  public String toString() {
    return source.text();
  }
}
