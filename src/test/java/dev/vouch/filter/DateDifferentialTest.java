package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Gson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Year;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * vouch's date detection against fail2ban's own, line by line: the span of the date, the template
 * that found it, the time, the failures, and the template order at the end of each run. Inputs:
 * generated dates of every family in varied surroundings, every line of fail2ban's sample logs,
 * the datepatterns of the stock filters (on their own samples) and a list of custom ones.
 *
 * <p>Known disagreements are listed, with their reason, in {@code filter/date-differences.txt};
 * the test fails on any other, and on a listed one that no longer occurs.
 */
class DateDifferentialTest {
  /** fail2ban's TEST_NOW: 2005-08-14 12:00 CEST. */
  private static final double TEST_NOW = 1124013600;
  private static final Gson GSON = new Gson();

  private static final List<String> CUSTOM_PATTERNS = List.of(
      "^%Y-%m-%d %H:%M:%S",
      "%H:%M:%S",
      "{UNB}%H:%M:%S",
      "**%H:%M:%S %d.%m.%Y**",
      "%H:%M:%S %d.%m.%Y$",
      "\\[%H:%M:%S %d.%m.%Y\\]",
      "\\**%H:%M:%S %d.%m.%Y\\**",
      "^\\[%d/%b/%Y %H:%M:%S\\]",
      "%Y-%Exm-%Exd %ExH:%ExM:%ExS",
      "%ExY-%Exm-%Exd %ExH:%ExM:%ExS",
      "%Y%m%d %H%M%S",
      "{^LN-BEG}%ExY%Exm%Exd %ExH%ExM%ExS",
      "{^LN-BEG}%ExY%Exm%Exd%ExH%ExM%ExS**",
      "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %z)?",
      "{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: %Z)?",
      "^%ExY-%Exm-%Exd %H:%M:%S(?: ?%Exz)?",
      "^%B %Exd %I:%ExM:%ExS**",
      "^%y %U %A %ExH:%ExM:%ExS**",
      "^%y %W %A %ExH:%ExM:%ExS**",
      "^%y %W %w %ExH:%ExM:%ExS**",
      "^%ExH:%ExM:%ExS**",
      "^%m/%d %ExH:%ExM:%ExS**",
      "^%Y-%m-%d**",
      "^%Y-%m-%d%z**",
      "%j %Y %H:%M:%S",
      "^%j %H:%M:%S",
      "%c",
      "%x %X",
      "%a %b %d %H:%M:%S %Y",
      "%A %B %d %Y %I:%M:%S %p",
      "%I:%M:%S(?: %p)?",
      "^%Y-%m(?:-%d)? %H:%M",
      "%b %d %H:%M:%S %ExZ",
      "%b %d %H:%M:%S(?: %Exz)?",
      "%d/%b/%Y:%H:%M:%S %z",
      "%l:%M:%S %p",
      "%Exk:%M:%S",
      "%Exl:%M:%S %p",
      "%G %V %u %H:%M",
      "%%Y %H:%M:%S",
      "(?i)%b %d %H:%M:%S",
      "^(%H:%M:%S)$",
      "(?P<H>\\d\\d)h(?P<M>\\d\\d)",
      "EPOCH",
      "LEPOCH",
      "{^LN-BEG}EPOCH",
      "^LEPOCH",
      "epoch",
      "(?<=\\|\\s){LEPOCH}(?=\\s\\|)",
      "audit\\({EPOCH}",
      "TAI64N",
      "{^LN-BEG}TAI64N",
      "^TAI64N",
      "{NONE}",
      "{DEFAULT}",
      "{^LN-BEG}",
      "^[^\\[]*\\[({DATE})",
      "^{DATE}",
      "{DATE}",
      "{^LN-BEG}{DATE}",
      "^<\\d+>\\d+\\s+{DATE}",
      "x{date}",
      "%H:%M:%S\n{^LN-BEG}",
      "{^LN-BEG}TAI64N\n{^LN-BEG}",
      "EPOCH\n%Y-%m-%d %H:%M:%S\n{^LN-BEG}",
      "{^LN-BEG}\n%H:%M:%S",
      "^%b-%d-%Exy %k:%M:%S\n{DATE}",
      // fail2ban refuses these, or accepts them and then fails on every line
      "%s",
      "%q %H",
      "100% %H",
      "%H:%M:%S\n%H:%M:%S",
      "(%H",
      "%d %d",
      "%H %k",
      "%b %d (?i)%H:%M:%S");

  private static final List<String> LOG_TIME_ZONES = List.of(
      "UTC+0300", "UTC", "GMT-0430", "CET", "CEST-01", "+0100", "EST", "-01", "Z", "+05:30",
      "NPT", "WRONG-TZ", "XYZ");

  /** Other "now"s: new year's eve and day, a leap day, around the DST changes (local CET). */
  private static final double[] OTHER_NOWS = {1104534000, 1104620399, 1135983600, 1078009200,
      1111886400, 1130637600, 1109631600};

  private static Year year;
  private static List<String> sampleLines;
  private static List<JsonObject> stockFilters;

  private record Case(String id, double now, String datepattern, String logTimeZone,
      List<String> lines) {}

  @BeforeAll
  static void askFail2banForItsSetUp() throws IOException, InterruptedException {
    DateOracle oracle = new DateOracle(TimeZonePosix.CET);
    JsonObject request = new JsonObject();
    request.addProperty("mode", "templates");
    year = Year.of(oracle.ask(request).get("year").getAsInt());
    request = new JsonObject();
    request.addProperty("mode", "filters");
    request.addProperty("config", oracle.root().resolve("etc/fail2ban").toString());
    request.addProperty("logs",
        oracle.packages().resolve("fail2ban/tests/files/logs").toString());
    stockFilters = new ArrayList<>();
    Set<String> lines = new LinkedHashSet<>();
    for (JsonElement filter : oracle.ask(request).getAsJsonArray("filters")) {
      stockFilters.add(filter.getAsJsonObject());
      filter.getAsJsonObject().getAsJsonArray("lines")
          .forEach(line -> lines.add(line.getAsString()));
    }
    sampleLines = List.copyOf(lines);
  }

  @Test
  void defaultTemplatesAreFail2bans() throws IOException, InterruptedException {
    JsonObject request = new JsonObject();
    request.addProperty("mode", "templates");
    JsonObject answer = new DateOracle(TimeZonePosix.CET).ask(request);
    assertEquals(answer.get("exY").getAsString(), DateDirectives.startingIn(year).yearRegex());
    List<String> expected = new ArrayList<>();
    for (JsonElement element : answer.getAsJsonArray("templates")) {
      JsonObject template = element.getAsJsonObject();
      expected.add(template.get("name").getAsString() + "\n  " + template.get("regex").getAsString()
          + "\n  weight " + template.get("weight").getAsDouble() + ", flags "
          + template.get("flags").getAsInt());
    }
    List<String> actual = new ArrayList<>();
    for (DateTemplate template : DateDetector.defaults(year).templates()) {
      actual.add(template.name() + "\n  " + template.regex() + "\n  weight " + template.weight()
          + ", flags " + template.flags());
    }
    assertEquals(String.join("\n", expected), String.join("\n", actual));
  }

  @Test
  void agreesWithFail2banLineByLine() throws IOException, InterruptedException {
    Map<String, Case> cases = new LinkedHashMap<>();
    DateCorpus corpus = new DateCorpus(20050814);
    List<String> generated = corpus.lines(60);
    List<String> everything = new ArrayList<>(generated);
    everything.addAll(sampleLines);
    List<String> small = new DateCorpus(7).lines(8);
    add(cases, new Case("defaults", TEST_NOW, null, null, everything));
    List<String> samplesFirst = new ArrayList<>(sampleLines);
    samplesFirst.addAll(generated);
    add(cases, new Case("defaults samples first", TEST_NOW, null, null, samplesFirst));
    add(cases, new Case("{^LN-BEG}", TEST_NOW, "{^LN-BEG}", null, everything));
    for (String zone : LOG_TIME_ZONES) {
      add(cases, new Case("logtimezone " + zone, TEST_NOW, null, zone, small));
      add(cases, new Case("logtimezone " + zone + " %Exz", TEST_NOW,
          "^%ExY-%Exm-%Exd %H:%M:%S(?: ?%Exz)?", zone, List.of("2017-01-23 15:00:00",
              "2017-01-23 15:00:00 GMT", "2017-01-23 15:00:00 -1045", "2017-01-23 15:00:00 +09:45",
              "2017-01-23 15:00:00 Z", "2017-01-23 15:00:00 CET", "2017-01-23 15:00:00 CEST",
              "2017-01-23 15:00:00 CET+0130", "2017-01-23 15:00:00 XYZ",
              "2017-01-23 15:00:00 A", "2017-01-23 15:00:00 ZZ")));
    }
    for (double now : OTHER_NOWS) {
      add(cases, new Case("now " + (long) now, now, null, null, small));
      add(cases, new Case("now " + (long) now + " time only", now, "^%H:%M:%S", null,
          List.of("00:00:00", "11:59:59", "12:00:00", "23:59:59", "01:30:00", "02:30:00")));
    }
    for (String pattern : CUSTOM_PATTERNS) {
      List<String> lines = new ArrayList<>(small);
      lines.addAll(sampleLines.subList(0, 300));
      add(cases, new Case("pattern " + pattern, TEST_NOW, pattern, null, lines));
    }
    for (JsonObject filter : stockFilters) {
      if (filter.get("datepattern").isJsonNull()) {
        continue;
      }
      List<String> lines = new ArrayList<>();
      filter.getAsJsonArray("lines").forEach(line -> lines.add(line.getAsString()));
      lines.addAll(small);
      add(cases, new Case("filter " + filter.get("filter").getAsString() + " "
          + filter.get("options"), TEST_NOW, filter.get("datepattern").getAsString(), null, lines));
    }

    Tally tally = new Tally();
    compare(TimeZonePosix.CET, cases.values(), tally);
    Map<String, Case> eastern = new LinkedHashMap<>();
    add(eastern, new Case("US/Eastern defaults", TEST_NOW, null, null, everything));
    add(eastern, new Case("US/Eastern autumn", 1131249600, null, null, small));
    add(eastern, new Case("US/Eastern time only", 1131249600, "^%H:%M:%S", null,
        List.of("00:30:00", "01:30:00", "02:30:00", "23:59:59")));
    compare(TimeZonePosix.US_EASTERN, eastern.values(), tally);

    Set<String> known = knownDifferences();
    System.out.printf("date detection vs fail2ban 1.0.2: %d of %d lines agree (%.3f%%) in %d runs;"
        + " template order (or refusal) agrees in %d of %d runs; %d known differences%n",
        tally.agreeing, tally.lines, 100.0 * tally.agreeing / tally.lines, tally.runs,
        tally.orderAgreeing, tally.runs, known.size());
    Set<String> unexpected = new TreeSet<>(tally.differences);
    unexpected.removeAll(known);
    Set<String> gone = new TreeSet<>(known);
    gone.removeAll(tally.differences);
    java.nio.file.Files.write(java.nio.file.Path.of("target", "date-differences.actual.txt"),
        tally.differences);
    if (!unexpected.isEmpty() || !gone.isEmpty()) {
      fail("differences from fail2ban:\n" + String.join("\n", unexpected)
          + (gone.isEmpty() ? "" : "\nlisted in date-differences.txt but gone:\n"
          + String.join("\n", gone)));
    }
    assertTrue(tally.lines > 50_000, "compared only " + tally.lines + " lines");
  }

  private static void add(Map<String, Case> cases, Case c) {
    cases.put(c.id(), c);
  }

  private static final class Tally {
    long lines;
    long agreeing;
    int runs;
    int orderAgreeing;
    final Set<String> differences = new TreeSet<>();
  }

  private static void compare(String tz, Iterable<Case> cases, Tally tally)
      throws IOException, InterruptedException {
    JsonObject request = new JsonObject();
    request.addProperty("mode", "detect");
    JsonArray requested = new JsonArray();
    Map<String, Case> byId = new LinkedHashMap<>();
    for (Case c : cases) {
      byId.put(c.id(), c);
      JsonObject json = new JsonObject();
      json.addProperty("id", c.id());
      json.addProperty("now", c.now());
      json.addProperty("datepattern", c.datepattern());
      json.addProperty("logtimezone", c.logTimeZone());
      JsonArray lines = new JsonArray();
      c.lines().forEach(lines::add);
      json.add("lines", lines);
      requested.add(json);
    }
    request.add("cases", requested);
    JsonObject answer = new DateOracle(tz).ask(request);
    ZoneId zone = TimeZonePosix.of(tz);
    for (JsonElement element : answer.getAsJsonArray("cases")) {
      JsonObject expected = element.getAsJsonObject();
      Case c = byId.get(expected.get("id").getAsString());
      String where = tz.substring(0, 3) + " | " + c.id();
      DateDetector detector;
      try {
        detector = build(c);
      } catch (DatePatternException e) {
        tally.runs++;
        if (expected.has("error")) {
          tally.orderAgreeing++;
        } else {
          tally.differences.add(where + " | refused: " + e.getMessage());
        }
        continue;
      }
      tally.runs++;
      if (expected.has("error")) {
        tally.differences.add(where + " | accepted, fail2ban refuses: "
            + expected.get("error").getAsString());
        continue;
      }
      DateSession session = detector.session();
      TimeContext context = new TimeContext(zone, c.now());
      JsonArray results = expected.getAsJsonArray("results");
      for (int i = 0; i < c.lines().size(); i++) {
        String line = c.lines().get(i);
        String want = describe(results.get(i));
        String got = describe(line, session, context);
        tally.lines++;
        if (want.equals(got)) {
          tally.agreeing++;
        } else {
          tally.differences.add(where + " | " + GSON.toJson(line) + " | fail2ban " + want
              + " | vouch " + got);
        }
      }
      List<String> order = new ArrayList<>();
      expected.getAsJsonArray("names").forEach(name -> order.add(name.getAsString()));
      List<String> ours = new ArrayList<>();
      session.hits().forEach(hits -> ours.add(hits.template()));
      if (order.equals(ours)) {
        tally.orderAgreeing++;
      } else {
        tally.differences.add(where + " | template order differs at the end: fail2ban " + order
            + " | vouch " + ours);
      }
    }
  }

  private static DateDetector build(Case c) {
    DateDetector detector = c.datepattern() == null
        ? DateDetector.defaults(year) : DateDetector.parse(c.datepattern(), year);
    if (c.logTimeZone() != null) {
      detector = detector.withLogTimeZone(TimeZoneOffset.parse(c.logTimeZone()));
    }
    return detector;
  }

  private static String describe(JsonElement result) {
    if (result.isJsonNull()) {
      return "none";
    }
    JsonObject object = result.getAsJsonObject();
    if (!object.has("s")) {
      return "line fails";
    }
    StringBuilder text = new StringBuilder();
    text.append('[').append(object.get("s").getAsInt()).append(',')
        .append(object.get("e").getAsInt()).append(") ").append(object.get("t").getAsString());
    if (object.has("x")) {
      text.append(" line fails");
    } else if (object.has("v")) {
      text.append(" = ").append(object.get("v").isJsonNull() ? "NaN"
          : Double.toString(object.get("v").getAsDouble()));
    }
    return text.toString();
  }

  private static String describe(String line, DateSession session, TimeContext context) {
    DateSpan span;
    try {
      span = session.find(line);
    } catch (DateLineException e) {
      return "line fails";
    }
    if (span == null) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    text.append('[').append(line.codePointCount(0, span.start())).append(',')
        .append(line.codePointCount(0, span.end())).append(") ").append(span.template().name());
    if (!span.isEmpty()) {
      try {
        double time = session.parse(span, context);
        text.append(" = ").append(Double.isNaN(time) ? "NaN" : Double.toString(time));
      } catch (DateLineException e) {
        text.append(" line fails");
      }
    }
    return text.toString();
  }

  private static Set<String> knownDifferences() throws IOException {
    Set<String> known = new TreeSet<>();
    try (InputStream in = DateDifferentialTest.class.getResourceAsStream(
        "/filter/date-differences.txt")) {
      if (in == null) {
        return known;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          known.add(line.substring(0, line.indexOf(" ## ") < 0 ? line.length()
              : line.indexOf(" ## ")));
        }
      }
    }
    return known;
  }
}
