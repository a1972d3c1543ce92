package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vouch.config.FilterReader;
import dev.vouch.daemon.Filters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * vouch's own filter presets ({@code filters/}) over their annotated samples
 * ({@code filters/samples/NAME.log}), with the same rules as fail2ban's sample tests. A preset
 * without samples fails, and so does any line that matches when it must not (a forged or
 * attacker-shaped line that would allowlist its author).
 */
class PresetSamplesTest {
  private static final Path PROJECT = Path.of(System.getProperty("vouch.project", "."));
  private static final Path FILTERS = PROJECT.resolve("filters");
  private static final Path SAMPLES = FILTERS.resolve("samples");

  @TestFactory
  Stream<DynamicTest> everyPresetHasSamplesAndPassesThem() throws IOException {
    List<String> names;
    try (Stream<Path> files = Files.list(FILTERS)) {
      names = files.map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".conf") && !name.endsWith("common.conf"))
          .map(name -> name.substring(0, name.length() - 5)).sorted().toList();
    }
    assertTrue(names.size() >= 10, "expected the presets in " + FILTERS);
    return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> check(name)));
  }

  @Test
  void everySampleLogBelongsToAPreset() throws IOException {
    List<String> orphans;
    try (Stream<Path> files = Files.list(SAMPLES)) {
      orphans = files.map(path -> path.getFileName().toString())
          .filter(file -> !Files.exists(FILTERS.resolve(file.replaceFirst("\\.log$", ".conf"))))
          .sorted().toList();
    }
    assertTrue(orphans.isEmpty(), "samples without a filter in " + FILTERS + " (a renamed or"
        + " removed preset?): " + orphans);
  }

  private void check(String name) throws IOException {
    Path samples = SAMPLES.resolve(name + ".log");
    if (!Files.exists(samples)) {
      fail("filter " + name + " has no samples: write " + PROJECT.relativize(samples)
          + " (fail2ban's sample format: a # failJSON: line before each line that must match)");
    }
    Path logs = Files.createTempDirectory("samples");
    Files.copy(samples, logs.resolve(name));
    Map<String, FilterSession> sessions = new HashMap<>();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    int matching = 0;
    for (SampleLog.Sample sample : SampleLog.read(logs, name)) {
      if (sample.expected().has("match") && sample.expected().get("match").getAsBoolean()) {
        matching++;
      }
      for (Map<String, String> options : sample.optionSets()) {
        FilterSession session = sessions.computeIfAbsent(options.toString(),
            key -> session(name, options));
        String problem = Fail2banSamplesTest.check(session, name, options, sample);
        checked++;
        if (problem != null) {
          problems.add(sample.line() + ": " + problem + "\n    " + sample.text());
        }
      }
    }
    assertTrue(checked > 0, name + ": no sample lines");
    assertTrue(matching > 0, name + ": no sample line that must match: add the lines the filter"
        + " is for, each after a '# failJSON: {\"match\": true, ...}' line");
    if (!problems.isEmpty()) {
      fail(name + ": " + problems.size() + " of " + checked + " sample checks fail:\n  "
          + String.join("\n  ", problems));
    }
  }

  private static FilterSession session(String name, Map<String, String> options) {
    Map<String, String> filterOptions = new LinkedHashMap<>();
    options.forEach((key, value) -> {
      if (!key.startsWith("test.")) {
        filterOptions.put(key, value);
      }
    });
    StringBuilder spec = new StringBuilder(name);
    if (!filterOptions.isEmpty()) {
      List<String> parts = new ArrayList<>();
      filterOptions.forEach((key, value) -> parts.add(key + "=\"" + value + "\""));
      spec.append('[').append(String.join(", ", parts)).append(']');
    }
    var definition = new FilterReader(List.of(FILTERS)).read(spec.toString());
    Filter filter = Filter.compile(Filters.spec(definition, "no", Optional.empty(),
        Optional.empty()), java.time.Year.now());
    filter.compileLinearForms(); // re2j must take every form we print
    for (Filter.RegexReport report : filter.describe()) {
      assertTrue(report.linear(), name + ": " + report.kind() + " " + report.index()
          + " does not run in linear time (RE2): " + report.regex());
    }
    return filter.newTestSession(Clock.fixed(Instant.ofEpochSecond(
        Fail2banSamplesTest.TEST_NOW), Fail2banSamplesTest.ZONE), Fail2banSamplesTest.ZONE,
        HostResolver.NONE, true);
  }
}
