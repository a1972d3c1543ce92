package dev.vouch.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recursive {@code <tag>} substitution among the options of a filter or action, as fail2ban's
 * {@code substituteRecursiveTags} does it.
 *
 * <p>Each option's value has its {@code <name>} tags replaced by the value of option
 * {@code name}, or else by what {@code lookup} finds ({@code <known/opt>}, {@code <sec/opt>},
 * DEFAULT); passes repeat while values still change and hold tags, so nested tags such as
 * {@code <lt_<logtype>/__prefix_line>} resolve. A tag nobody defines stays as written: that is
 * how {@code <HOST>} and {@code <ip>} reach the filter and the action at run time. Options named
 * in {@code ignore} are neither substituted nor substituted into.
 */
final class Tags {
  /** fail2ban's {@code MAX_TAG_REPLACE_COUNT}. */
  private static final int MAX_REPLACEMENTS = 25;

  private static final Pattern TAG = Pattern.compile("<([^ <>]+)>");

  private Tags() {}

  /**
   * The options with their tags substituted, in the same order.
   *
   * @throws ConfigException for an option that refers to itself, directly or in a loop
   */
  static Map<String, Text> substitute(
      Map<String, Text> options, Set<String> ignore, Function<String, Optional<Text>> lookup) {
    Map<String, Text> tags = new LinkedHashMap<>(options);
    Set<String> done = new HashSet<>();
    Map<String, Map<String, Integer>> replacementCounts = new HashMap<>();
    List<String> names = List.copyOf(tags.keySet());
    boolean again = true;
    while (again) {
      again = false;
      for (String tag : names) {
        if (ignore.contains(tag) || done.contains(tag)) {
          continue;
        }
        Text original = tags.get(tag);
        Text value = original;
        Map<String, Integer> counts = replacementCounts.getOrDefault(tag, new HashMap<>());
        Matcher found = TAG.matcher(value);
        int from = 0;
        while (found.find(from)) {
          String reference = found.group(1);
          from = found.end();
          if (ignore.contains(reference)) {
            continue;
          }
          if (reference.equals(tag)) {
            throw new ConfigException(value.origin(value.originAt(found.start())),
                "<" + tag + "> cannot be resolved: it refers to itself. Value: " + value);
          }
          if (counts.getOrDefault(reference, 1) > MAX_REPLACEMENTS) {
            throw new ConfigException(value.origin(value.originAt(found.start())),
                "<" + tag + "> cannot be resolved: <" + reference + "> was replaced "
                    + MAX_REPLACEMENTS + " times, tags refer to each other in a loop. Value: "
                    + value);
          }
          Text replacement = tags.get(reference);
          if (replacement == null) {
            replacement = lookup.apply(reference).orElse(null);
          }
          if (replacement == null) {
            continue; // unknown tags stay: <HOST>, <ip>, <F-USER> are filled in at run time
          }
          int start = found.start();
          value = value.replaceAll("<" + reference + ">", replacement);
          counts.merge(reference, 1, Integer::sum);
          found = TAG.matcher(value);
          from = start;
        }
        if (!value.toString().equals(original.toString())) {
          if (TAG.matcher(value).find()) {
            replacementCounts.put(tag, counts);
            again = true;
          }
          tags.put(tag, value);
        }
        if (value.indexOf("<", 0) < 0) {
          done.add(tag);
        }
      }
    }
    return tags;
  }
}
