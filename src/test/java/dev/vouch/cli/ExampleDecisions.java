package dev.vouch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an example's replay decides: the networks vouched for, and per ban jail the addresses
 * banned and the addresses whose failures were spared. An example's README states them in a
 * code block, which the tests read, so that the README and the replay cannot drift apart:
 *
 * <pre>
 * vouched for: 192.0.2.10 2001:db8:1:7::/64
 * banned in apache-loginfail: 203.0.113.66
 * spared in apache-loginfail: 192.0.2.10
 * </pre>
 *
 * <p>A line that starts with white space continues the one before; {@code nothing} stands for
 * no address.
 */
record ExampleDecisions(Set<String> vouched, Map<String, Set<String>> banned,
    Map<String, Set<String>> spared) {
  private static final Pattern KEY =
      Pattern.compile("^(vouched for|banned in ([\\w.-]+)|spared in ([\\w.-]+)):(.*)$");

  ExampleDecisions {
    vouched = Collections.unmodifiableSortedSet(new TreeSet<>(vouched));
    banned = sorted(banned);
    spared = sorted(spared);
  }

  /** Every address or network named, for checks that the README mentions them. */
  Set<String> addresses() {
    Set<String> all = new TreeSet<>(vouched);
    banned.values().forEach(all::addAll);
    spared.values().forEach(all::addAll);
    return all;
  }

  /**
   * The decisions a README states.
   *
   * @throws IllegalArgumentException naming the README when it states none
   */
  static ExampleDecisions fromReadme(Path readme) throws IOException {
    Set<String> vouched = null;
    Map<String, Set<String>> banned = new TreeMap<>();
    Map<String, Set<String>> spared = new TreeMap<>();
    Set<String> current = null;
    boolean code = false;
    for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
      if (line.startsWith("```")) {
        code = !code;
        current = null;
        continue;
      }
      if (!code) {
        continue;
      }
      Matcher key = KEY.matcher(line);
      if (key.matches()) {
        if (key.group(2) != null) {
          current = banned.computeIfAbsent(key.group(2), jail -> new TreeSet<>());
        } else if (key.group(3) != null) {
          current = spared.computeIfAbsent(key.group(3), jail -> new TreeSet<>());
        } else {
          vouched = vouched == null ? new TreeSet<>() : vouched;
          current = vouched;
        }
        current.addAll(words(key.group(4)));
      } else if (current != null && !line.isBlank() && Character.isWhitespace(line.charAt(0))) {
        current.addAll(words(line));
      } else {
        current = null;
      }
    }
    if (vouched == null) {
      throw new IllegalArgumentException(readme + " does not say what the replay decides: add a"
          + " code block with a line 'vouched for: ADDRESS...' (or 'nothing'), and for each ban"
          + " jail 'banned in JAIL: ...' and 'spared in JAIL: ...'");
    }
    return new ExampleDecisions(vouched, banned, spared);
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>(Arrays.asList(text.strip().split("\\s+")));
    words.removeIf(word -> word.isEmpty() || word.equals("nothing"));
    return words;
  }

  private static Map<String, Set<String>> sorted(Map<String, Set<String>> byJail) {
    Map<String, Set<String>> copy = new TreeMap<>();
    byJail.forEach((jail, addresses) -> {
      if (!addresses.isEmpty()) {
        copy.put(jail, Collections.unmodifiableSortedSet(new TreeSet<>(addresses)));
      }
    });
    return Collections.unmodifiableMap(copy);
  }
}
