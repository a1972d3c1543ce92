package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vouch.config.FilterReader;
import dev.vouch.daemon.Filters;
import dev.vouch.net.IpAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite: every stock filter of fail2ban 1.0.2 over its own sample logs, run as
 * fail2ban's {@code samplestestcase.py} runs them (every failregex tried, hosts raw, TZ CET,
 * now = 2005-08-14 12:00 CEST), checking per line: match or not, exactly one regex, the host,
 * the time, and every other expected field. Disagreements that remain are listed with their
 * reason in {@code fail2ban-samples-known.txt}; the test fails when one appears that is not
 * listed, or when a listed one is gone (so the list cannot drift).
 */
class Fail2banSamplesTest {
  static final long TEST_NOW = 1124013600L;
  static final ZoneId ZONE = ZoneId.of("CET");
  private static final Path ROOT = Path.of(System.getProperty("fail2ban.root", "target/fail2ban"));
  private static final Path FILTERS = ROOT.resolve("etc/fail2ban/filter.d");
  private static final Path LOGS =
      ROOT.resolve("usr/lib/python3/dist-packages/fail2ban/tests/files/logs");
  private static final Path KNOWN = Path.of("src/test/resources/filter/fail2ban-samples-known.txt");

  /** A filter instance per option set, kept across the lines and files of one filter. */
  private final Map<String, FilterSession> sessions = new HashMap<>();

  @Test
  void stockFiltersAgreeWithFail2banOnItsSampleLogs() throws IOException {
    List<String> names = SampleLog.filterNames(FILTERS);
    Map<String, String> known = known();
    Map<String, String> found = new TreeMap<>();
    long checks = 0;
    Map<String, long[]> perFilter = new TreeMap<>();
    for (String name : names) {
      long[] counts = perFilter.computeIfAbsent(name, key -> new long[2]);
      for (SampleLog.Sample sample : SampleLog.read(LOGS, name)) {
        for (Map<String, String> options : sample.optionSets()) {
          String constraint = string(sample.expected().get("constraint"));
          if (constraint != null && !SampleLog.Condition.holds(constraint, name, options)) {
            continue;
          }
          checks++;
          counts[0]++;
          String problem;
          try {
            problem = check(session(name, options), name, options, sample);
          } catch (RuntimeException e) {
            problem = "error: " + e.getMessage();
          }
          if (problem != null) {
            counts[1]++;
            found.put(name + optionsText(options) + " " + sample.file() + ":" + sample.line(),
                problem);
          }
        }
      }
    }
    long disagreements = found.size();
    double agreement = 100.0 * (checks - disagreements) / checks;
    StringBuilder report = new StringBuilder(String.format(
        "fail2ban sample conformance: %d filters, %d line checks, %d disagree, %.2f%% agree%n",
        names.size(), checks, disagreements, agreement));
    perFilter.forEach((name, counts) -> {
      if (counts[1] > 0) {
        report.append(String.format("  %-22s %4d checks, %3d disagree%n", name, counts[0],
            counts[1]));
      }
    });
    System.out.print(report);
    List<String> unexplained = new ArrayList<>();
    found.forEach((key, problem) -> {
      if (!known.containsKey(key)) {
        unexplained.add(key + "  " + problem);
      }
    });
    List<String> stale = known.keySet().stream().filter(key -> !found.containsKey(key)).toList();
    if (!unexplained.isEmpty() || !stale.isEmpty()) {
      fail("disagreements not listed in " + KNOWN + ":\n  " + String.join("\n  ", unexplained)
          + (stale.isEmpty() ? "" : "\nlisted but no longer disagreeing:\n  "
              + String.join("\n  ", stale)));
    }
    assertTrue(agreement >= 99.0, report.toString());
  }

  /** What is wrong with one sample under one option set, or null when it agrees. */
  static String check(FilterSession session, String name, Map<String, String> options,
      SampleLog.Sample sample) {
    String line = sample.text();
    FilterSession.LineResult result;
    if ("journal".equals(options.get("logtype"))) {
      String prefix = options.getOrDefault("test.prefix-line", "");
      result = session.process(prefix + line, TEST_NOW);
    } else {
      result = session.process(line);
    }
    List<FilterMatch> matches = result.matches().stream()
        .filter(match -> !match.pending() && !match.noFailure()).toList();
    JsonObject expected = sample.expected();
    boolean shouldMatch = expected.has("match") && expected.get("match").getAsBoolean();
    if (matches.isEmpty()) {
      return shouldMatch ? "no match, expected one" : null;
    }
    if (!shouldMatch) {
      return "matched by failregex " + matches.get(0).regex() + ", expected no match";
    }
    if (matches.size() != 1) {
      return "several regexes matched: " + matches.stream().map(FilterMatch::regex).toList();
    }
    FilterMatch match = matches.get(0);
    for (Map.Entry<String, JsonElement> entry : expected.entrySet()) {
      String key = entry.getKey();
      if (Set.of("time", "match", "desc", "constraint").contains(key)) {
        continue;
      }
      Object actual = match.data().get(key);
      if (actual == null && key.equals("host")) {
        actual = match.id();
      }
      if (actual == null && key.equals("attempts")) {
        Object lines = match.data().get("matches");
        actual = lines instanceof Collection<?> collection ? collection.size() : 0;
      }
      String problem = compare(key, actual, entry.getValue());
      if (problem != null) {
        return problem;
      }
    }
    JsonElement time = expected.get("time");
    if (time != null && !time.isJsonNull()) {
      double want = localTime(time.getAsString());
      if (Double.isNaN(match.time()) || Math.abs(match.time() - want) > 1e-6) {
        return "time " + (Double.isNaN(match.time()) ? "none"
            : Instant.ofEpochMilli(Math.round(match.time() * 1000)).atZone(ZONE)
                .toLocalDateTime()) + ", expected " + time.getAsString();
      }
    }
    return null;
  }

  private static String compare(String key, Object actual, JsonElement expected) {
    if (expected.isJsonArray()) {
      List<String> want = new ArrayList<>();
      expected.getAsJsonArray().forEach(item -> want.add(item.getAsString()));
      List<String> got = new ArrayList<>();
      if (actual instanceof Collection<?> collection) {
        collection.forEach(item -> got.add(String.valueOf(item)));
      }
      return new TreeSet<>(got).equals(new TreeSet<>(want)) && got.size() == want.size() ? null
          : key + " " + got + ", expected " + want;
    }
    String want = expected.isJsonNull() ? null : expected.getAsString();
    String got = actual == null ? null : String.valueOf(actual);
    if (want == null ? got == null : want.equals(got)) {
      return null;
    }
    if (want != null && got != null) {
      Optional<IpAddress> a = IpAddress.tryParse(got);
      Optional<IpAddress> b = IpAddress.tryParse(want);
      if (a.isPresent() && a.equals(b)) {
        return null;
      }
    }
    return key + " " + got + ", expected " + want;
  }

  private FilterSession session(String name, Map<String, String> options) {
    Map<String, String> filterOptions = new LinkedHashMap<>();
    options.forEach((key, value) -> {
      if (!key.startsWith("test.")) {
        filterOptions.put(key, value);
      }
    });
    String key = name + optionsText(options);
    return sessions.computeIfAbsent(key, unused -> {
      StringBuilder spec = new StringBuilder(name);
      if (!filterOptions.isEmpty()) {
        List<String> parts = new ArrayList<>();
        filterOptions.forEach((option, value) -> parts.add(option + "=\"" + value + "\""));
        spec.append('[').append(String.join(", ", parts)).append(']');
      }
      var definition = new FilterReader(List.of(FILTERS)).read(spec.toString());
      // The harness applies only the regexes, maxlines and datepattern (not usedns), and keeps
      // hosts raw.
      Filter filter = Filter.compile(Filters.spec(definition, "warn", Optional.empty(),
          Optional.empty()), java.time.Year.now());
      filter.compileLinearForms(); // re2j must take every form we print
      return filter.newTestSession(Clock.fixed(Instant.ofEpochSecond(TEST_NOW), ZONE), ZONE,
          HostResolver.NONE, true);
    });
  }

  private static String optionsText(Map<String, String> options) {
    if (options.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    options.forEach((key, value) -> parts.add(key + "=" + value));
    return "[" + String.join(",", parts) + "]";
  }

  /** Python's {@code strptime(t, "%Y-%m-%dT%H:%M:%S[.%f]")}, which takes one-digit fields too. */
  static double localTime(String text) {
    java.util.regex.Matcher parts = java.util.regex.Pattern.compile(
        "(\\d{4})-(\\d{1,2})-(\\d{1,2})T(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,6}))?")
        .matcher(text);
    if (!parts.matches()) {
      throw new IllegalArgumentException("not a sample time: " + text);
    }
    LocalDateTime local = LocalDateTime.of(Integer.parseInt(parts.group(1)),
        Integer.parseInt(parts.group(2)), Integer.parseInt(parts.group(3)),
        Integer.parseInt(parts.group(4)), Integer.parseInt(parts.group(5)),
        Integer.parseInt(parts.group(6)));
    Instant instant = local.atZone(ZONE).toInstant();
    String fraction = parts.group(7) == null ? "0" : (parts.group(7) + "00000").substring(0, 6);
    return instant.getEpochSecond() + Integer.parseInt(fraction) / 1e6;
  }

  private static String string(JsonElement element) {
    return element == null || element.isJsonNull() ? null : element.getAsString();
  }

  /** The listed disagreements: {@code KEY  reason} per line, # comments. */
  private static Map<String, String> known() throws IOException {
    Map<String, String> known = new LinkedHashMap<>();
    if (!Files.exists(KNOWN)) {
      return known;
    }
    for (String line : Files.readAllLines(KNOWN, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int split = line.indexOf("  ");
      known.put(split < 0 ? line.strip() : line.substring(0, split).strip(),
          split < 0 ? "" : line.substring(split).strip());
    }
    return known;
  }

  @Test
  void conditionsOfTheSampleLogsEvaluate() {
    assertTrue(SampleLog.Condition.holds("name=='sshd'", "sshd", Map.of()));
    assertTrue(SampleLog.Condition.holds("opts.get('mode') != 'aggressive'", "x", Map.of()));
    assertEquals(false, SampleLog.Condition.holds("opts.get('mode') == 'aggressive'", "x",
        Map.of("mode", "normal")));
  }
}
