package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagsTest {
  private static final Origin ORIGIN = new Origin(Path.of("/etc/vouch/filter.d/x.conf"), 7);

  private static Map<String, Text> options(String... keysAndValues) {
    Map<String, Text> options = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      options.put(keysAndValues[i], Text.of(keysAndValues[i + 1], ORIGIN));
    }
    return options;
  }

  private static Map<String, String> substitute(Map<String, Text> options, Set<String> ignore) {
    Map<String, String> result = new LinkedHashMap<>();
    Tags.substitute(options, ignore, tag -> Optional.empty())
        .forEach((key, value) -> result.put(key, value.toString()));
    return result;
  }

  @Test
  void substitutesRecursivelyAndLeavesUnknownTags() {
    Map<String, String> result = substitute(options(
        "failregex", "^<prefix> failed for <F-USER>.+</F-USER> from <HOST>$",
        "prefix", "<daemon>\\[<pid>\\]:",
        "daemon", "sshd",
        "pid", "\\d+"), Set.of());

    assertEquals("^sshd\\[\\d+\\]: failed for <F-USER>.+</F-USER> from <HOST>$",
        result.get("failregex"));
  }

  @Test
  void resolvesNestedTagNames() {
    Map<String, Text> options = options(
        "prefix", "<lt_<logtype>/prefix>",
        "logtype", "journal");
    Map<String, Text> lookups = options("lt_journal/prefix", "journal-prefix");

    Map<String, Text> result = Tags.substitute(
        options, Set.of(), tag -> Optional.ofNullable(lookups.get(tag)));

    assertEquals("journal-prefix", result.get("prefix").toString());
  }

  @Test
  void ignoredOptionsAreNeitherSubstitutedNorSubstitutedInto() {
    Map<String, String> result = substitute(options(
        "actionban", "ban <ip> in <addr_set> for <bantime> (<timeout>)",
        "addr_set", "set-<name>",
        "name", "sshd",
        "timeout", "60"), Set.of("addr_set", "timeout"));

    assertEquals("ban <ip> in <addr_set> for <bantime> (<timeout>)", result.get("actionban"));
    assertEquals("set-<name>", result.get("addr_set"));
  }

  @Test
  void aSelfReferenceIsAnError() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> substitute(options("a", "x <b>", "b", "y <a>"), Set.of()));

    assertEquals(ORIGIN + ": <a> cannot be resolved: it refers to itself. Value: x y <a>",
        error.getMessage());
  }

  @Test
  void aLoopElsewhereStopsAfterTwentyFiveReplacements() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> substitute(options("a", "<b>", "b", "<c>", "c", "<b>"), Set.of()));

    assertTrue(error.getMessage().startsWith(ORIGIN + ": <a> cannot be resolved: <b> was replaced"
        + " 25 times, tags refer to each other in a loop."), error.getMessage());
  }

  @Test
  void aSubstitutedLineKeepsTheOriginOfItsValue() {
    Origin other = new Origin(Path.of("/etc/vouch/filter.d/common.conf"), 3);
    Map<String, Text> options = new LinkedHashMap<>();
    options.put("failregex", Text.of("<line>\n^own <HOST>$", ORIGIN));
    options.put("line", Text.of("^from common <HOST>$", other));

    Text result = Tags.substitute(options, Set.of(), tag -> Optional.empty()).get("failregex");

    assertEquals(other, result.lines(ORIGIN).get(0).origin());
    assertEquals(ORIGIN, result.lines(ORIGIN).get(1).origin());
  }
}
