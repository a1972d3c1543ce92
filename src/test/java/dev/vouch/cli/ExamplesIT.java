package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example in examples/ does what its README says. Each one passes {@code check-config} as
 * shipped (with fail2ban's stock filters where a server has them) and in its dry run (its
 * dry-run/ copied over it: no action that needs root), then replays its bundled logs to exactly
 * the decisions its README states: the networks vouched for, and per ban jail the addresses
 * banned and those whose failures were spared, with nothing else banned or spared. A directory
 * of examples/ that is not such an example, nor covered by another test, fails.
 */
class ExamplesIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();
  private static final Path EXAMPLES = PROJECT.resolve("examples");
  private static final Path FAIL2BAN_FILTERS =
      Path.of(System.getProperty("fail2ban.root", "target/fail2ban")).toAbsolutePath()
          .resolve("etc/fail2ban/filter.d");
  /** Subdirectories whose files replace an example's for a second replay, same decisions. */
  private static final Map<String, List<String>> VARIANTS =
      Map.of("apache-login", List.of("seed-recipe"));
  /** Directories of examples/ without a jail.local, each with the test that covers it. */
  private static final Map<String, String> COVERED_ELSEWHERE =
      Map.of("systemd", "dev.vouch.daemon.SystemdUnitIT");
  private static final Pattern BAN_LINE = Pattern.compile("^\\S+ \\[([^\\]]+)\\] Ban (\\S+)$");
  private static final Pattern ACTION_LINE = Pattern.compile("^\\s+action:\\s+(.*)$");

  @Test
  void everyDirectoryOfExamplesIsCovered() throws IOException {
    String index = Files.readString(EXAMPLES.resolve("README.md"), StandardCharsets.UTF_8);
    List<String> problems = new ArrayList<>();
    for (Path dir : directories()) {
      String name = dir.getFileName().toString();
      boolean example = Files.exists(dir.resolve("jail.local"));
      if (!example && !COVERED_ELSEWHERE.containsKey(name)) {
        problems.add(name + ": neither an example (no jail.local) nor covered by another test"
            + " (add it to COVERED_ELSEWHERE with the test that checks it)");
      }
      if (example && !Files.exists(dir.resolve("README.md"))) {
        problems.add(name + ": no README.md (what it protects, what to adapt, what its replay"
            + " decides)");
      }
      if (!Pattern.compile("(?m)^#+ .*\\b" + Pattern.quote(name) + "\\b").matcher(index).find()) {
        problems.add(name + ": no section in examples/README.md");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertTrue(examples().size() >= 7, "expected the examples in " + EXAMPLES);
  }

  @TestFactory
  Stream<DynamicTest> everyExampleReplaysToTheDecisionsItsReadmeStates(@TempDir Path scratch)
      throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path example : examples()) {
      String name = example.getFileName().toString();
      tests.add(DynamicTest.dynamicTest(name,
          () -> replay(example, List.of(), scratch.resolve(name))));
      for (String variant : VARIANTS.getOrDefault(name, List.of())) {
        tests.add(DynamicTest.dynamicTest(name + " with " + variant + "/",
            () -> replay(example, List.of(variant), scratch.resolve(name + "-" + variant))));
      }
    }
    return tests.stream();
  }

  private void replay(Path example, List<String> variants, Path scratch) throws IOException {
    ExampleDecisions expected = ExampleDecisions.fromReadme(example.resolve("README.md"));
    ExampleRun run = ExampleRun.copy(example, scratch, PROJECT);
    run.searchFilters(FAIL2BAN_FILTERS);
    ExampleRun.Result shipped = run.vouch("check-config");
    assertEquals(0, shipped.exit(), "check-config as shipped:\n" + shipped.both());

    if (Files.isDirectory(example.resolve("dry-run"))) {
      run.overlay("dry-run");
    }
    for (String variant : variants) {
      run.overlay(variant);
    }
    ExampleRun.Result dryRun = run.vouch("check-config");
    assertEquals(0, dryRun.exit(), "check-config of the dry run:\n" + dryRun.both());
    List<String> rootOnly = new ArrayList<>();
    for (String line : dryRun.out().split("\n")) {
      Matcher action = ACTION_LINE.matcher(line);
      if (action.matches() && !action.group(1).startsWith("log (built in)")) {
        rootOnly.add(action.group(1));
      }
    }
    assertEquals(List.of(), rootOnly, "the dry run still runs actions (dry-run/ replaces them"
        + " with the log action):\n" + dryRun.out());

    ExampleRun.Result replay = run.vouch("run", "--replay");
    assertEquals(0, replay.exit(), "run --replay:\n" + replay.both());
    String context = "\nreplay:\n" + replay.out();

    Map<String, Set<String>> logged = bansInDecisionsLog(run);
    Set<String> addresses = new TreeSet<>();
    expected.addresses().stream().filter(address -> !address.contains("/"))
        .forEach(addresses::add);
    logged.values().forEach(addresses::addAll);
    ExampleRun.Observed observed = run.observe(addresses);
    assertEquals(expected, observed.decisions(), "decisions of the replay" + context);
    assertEquals(expected.banned(), logged, "bans in state/decisions.log" + context);
    run.totals().forEach((jail, totals) -> {
      assertEquals(totals[0], observed.bans().getOrDefault(jail, 0), jail + ": bans in total,"
          + " against bans of the addresses in README.md" + context);
      assertEquals(totals[1], observed.spared().getOrDefault(jail, 0), jail + ": spared"
          + " failures in total, against those of the addresses in README.md" + context);
    });
  }

  private static Map<String, Set<String>> bansInDecisionsLog(ExampleRun run) throws IOException {
    Map<String, Set<String>> bans = new TreeMap<>();
    for (String line : run.decisionsLog()) {
      Matcher ban = BAN_LINE.matcher(line);
      if (ban.matches()) {
        bans.computeIfAbsent(ban.group(1), jail -> new TreeSet<>()).add(ban.group(2));
      }
    }
    return bans;
  }

  private static List<Path> directories() throws IOException {
    try (Stream<Path> entries = Files.list(EXAMPLES)) {
      return entries.filter(Files::isDirectory).sorted().toList();
    }
  }

  private static List<Path> examples() throws IOException {
    return directories().stream().filter(dir -> Files.exists(dir.resolve("jail.local")))
        .toList();
  }
}
