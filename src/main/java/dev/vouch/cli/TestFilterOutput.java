package dev.vouch.cli;

import com.google.gson.stream.JsonWriter;
import dev.vouch.config.FilterDefinition;
import dev.vouch.filter.Filter;
import dev.vouch.filter.FilterMatch;
import dev.vouch.filter.FilterSession.LineResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code vouch test-filter} prints: a fail2ban-regex summary, or JSON lines. */
sealed interface TestFilterOutput {
  void line(long number, String line, LineResult result) throws IOException;

  void finish(double seconds, long tooLong, long undecodable) throws IOException;

  long matched();

  /** The match a line reports: the first real failure (not only an address or a success). */
  static Optional<FilterMatch> reported(LineResult result) {
    for (FilterMatch match : result.matches()) {
      if (!match.noFailure() && !match.pending()) {
        return Optional.of(match);
      }
    }
    return Optional.empty();
  }

  /** fail2ban-regex's classification: a line is matched, ignored or missed. */
  static String classify(LineResult result) {
    if (result == null) {
      return "miss";
    }
    if (result.ignored()) {
      return "ignored";
    }
    boolean reported = false;
    for (FilterMatch match : result.matches()) {
      if (match.noFailure()) {
        return "ignored";
      }
      reported |= !match.pending();
    }
    return reported ? "match" : "miss";
  }

  /**
   * {@code value} to two decimals ({@code %.2f} in the root locale). The summary is put together
   * by hand: java.util.Formatter's first use, with its locale data, is a good part of a one-line
   * test-filter's start.
   */
  static String hundredths(double value) {
    long cents = Math.round(Math.abs(value) * 100);
    String digits = (cents < 100 ? (cents < 10 ? "00" : "0") : "") + cents;
    return (value < 0 && cents > 0 ? "-" : "") + digits.substring(0, digits.length() - 2) + "."
        + digits.substring(digits.length() - 2);
  }

  /** {@code value} with commas between groups of three digits ({@code %,d}). */
  static String grouped(long value) {
    String digits = Long.toString(value);
    StringBuilder text = new StringBuilder();
    if (value < 0) {
      text.append('-');
      digits = digits.substring(1);
    }
    for (int i = 0; i < digits.length(); i++) {
      if (i > 0 && (digits.length() - i) % 3 == 0) {
        text.append(',');
      }
      text.append(digits.charAt(i));
    }
    return text.toString();
  }

  /** The summary, in fail2ban-regex's layout, with the engine of each regex. */
  final class Summary implements TestFilterOutput {
    private final PrintWriter out;
    private final Filter filter;
    private final FilterDefinition definition;
    private final String input;
    private final boolean file;
    private final long[] hits;
    /** Hits per date template, in order of first hit; the last one's counter kept at hand. */
    private final Map<String, long[]> templates = new LinkedHashMap<>();
    private String lastTemplate;
    private long[] lastTemplateHits;
    private long lines;
    private long matched;
    private long ignored;
    private long missed;

    Summary(PrintWriter out, Filter filter, FilterDefinition definition, String input,
        boolean file) {
      this.out = out;
      this.filter = filter;
      this.definition = definition;
      this.input = input;
      this.file = file;
      this.hits = new long[filter.failregexCount()];
    }

    @Override
    public void line(long number, String line, LineResult result) {
      if (result == null) {
        return;
      }
      lines++;
      String template = result.dateTemplate();
      if (template != null) {
        if (!template.equals(lastTemplate)) {
          lastTemplateHits = templates.computeIfAbsent(template, name -> new long[1]);
          lastTemplate = template;
        }
        lastTemplateHits[0]++;
      }
      List<FilterMatch> matches = result.matches();
      if (matches.isEmpty()) { // most lines: what classify says, without its loop
        if (result.ignored()) {
          ignored++;
        } else {
          missed++;
        }
        return;
      }
      for (FilterMatch match : matches) {
        hits[match.regex()]++;
      }
      switch (classify(result)) {
        case "match" -> matched++;
        case "ignored" -> ignored++;
        default -> missed++;
      }
    }

    @Override
    public void finish(double seconds, long tooLong, long undecodable) {
      out.println();
      out.println("Running tests");
      out.println("=============");
      out.println();
      out.println("Use   failregex filter file : " + definition.name() + ", basedir: "
          + definition.file().getParent());
      out.println(file ? "Use         log file : " + input
          : "Use      single line : " + input);
      out.println("Use         encoding : UTF-8");
      out.println();
      out.println("Results");
      out.println("=======");
      long total = 0;
      for (long hit : hits) {
        total += hit;
      }
      out.println();
      out.println("Failregex: " + total + " total");
      out.println("|-  #) [# of hits] regular expression");
      for (Filter.RegexReport report : filter.describe()) {
        if (report.kind().equals("failregex") && hits[report.index()] > 0) {
          int number = report.index() + 1;
          out.println("|  " + (number < 10 ? " " : "") + number + ") [" + hits[report.index()]
              + "] " + report.regex());
        }
      }
      out.println("`-");
      out.println();
      out.println("Regex engines:");
      for (Filter.RegexReport report : filter.describe()) {
        out.println("|  " + report.kind() + " " + (report.index() + 1) + ": " + report.engine()
            + (report.linear() ? "" : " (not linear: " + report.origin() + ")"));
      }
      out.println("`-");
      out.println();
      out.println("Date template hits:");
      out.println("|- [# of hits] date format");
      templates.forEach((name, count) -> out.println("|  [" + count[0] + "] " + name));
      out.println("`-");
      out.println();
      out.println("Lines: " + lines + " lines, " + ignored + " ignored, " + matched + " matched, "
          + missed + " missed");
      if (tooLong > 0 || undecodable > 0) {
        out.println("Skipped: " + tooLong + " lines too long, " + undecodable
            + " lines not UTF-8 (read with replacement characters)");
      }
      out.println("[processed in " + hundredths(seconds) + " sec, "
          + grouped(seconds > 0 ? Math.round(lines / seconds) : 0) + " lines/s]");
      out.println();
    }

    @Override
    public long matched() {
      return matched;
    }
  }

  /** One JSON object per input line, as DESIGN.md §9 describes. */
  final class Json implements TestFilterOutput {
    private static final DateTimeFormatter SECONDS =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final PrintWriter out;
    private final ZoneId zone;
    private long matched;

    Json(PrintWriter out, ZoneId zone) {
      this.out = out;
      this.zone = zone;
    }

    @Override
    public void line(long number, String line, LineResult result) throws IOException {
      String kind = classify(result);
      java.io.StringWriter text = new java.io.StringWriter(160);
      JsonWriter json = new JsonWriter(text);
      json.beginObject();
      json.name("line").value(number);
      json.name("result").value(kind);
      Optional<FilterMatch> match = result == null ? Optional.empty()
          : reported(result).or(() -> result.matches().stream().findFirst());
      if (match.isPresent() && !kind.equals("miss")) {
        FilterMatch found = match.get();
        json.name("host").value(found.id());
        json.name("time");
        if (Double.isNaN(found.time())) {
          json.nullValue();
        } else {
          json.value(localTime(found.time()));
        }
        json.name("regex").value(found.regex());
        json.name("groups").beginObject();
        for (Map.Entry<String, String> field : found.fields().entrySet()) {
          json.name(field.getKey()).value(field.getValue());
        }
        json.endObject();
      }
      json.endObject();
      json.flush();
      out.write(text.toString());
      out.write('\n');
      if (kind.equals("match")) {
        matched++;
      }
    }

    private String localTime(double epochSeconds) {
      long micros = Math.round(epochSeconds * 1_000_000);
      Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
          Math.floorMod(micros, 1_000_000) * 1000);
      LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
      String text = SECONDS.format(local);
      int fraction = local.getNano() / 1000;
      return fraction == 0 ? text : text + String.format(".%06d", fraction);
    }

    @Override
    public void finish(double seconds, long tooLong, long undecodable) {
      out.flush();
    }

    @Override
    public long matched() {
      return matched;
    }
  }
}
