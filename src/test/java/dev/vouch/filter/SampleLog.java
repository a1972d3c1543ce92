package dev.vouch.filter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fail2ban's annotated sample logs ({@code tests/files/logs/NAME}), read as its
 * {@code samplestestcase.py} reads them: {@code # failJSON:} applies to the next line,
 * {@code # filterOptions:} starts a block of option sets, {@code # fileOptions:} sets options
 * for the file, {@code # addFILE:} queues another file, every other line must not match.
 */
final class SampleLog {
  private static final Pattern SPECIAL =
      Pattern.compile("^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$");

  /** One line to check, under one block of option sets. */
  record Sample(String file, int line, String text, JsonObject expected,
      List<Map<String, String>> optionSets) {}

  private SampleLog() {}

  /** The names of the filters in {@code filterDir} (its .conf files but the common ones), sorted. */
  static List<String> filterNames(Path filterDir) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(filterDir)) {
      return files.map(path -> path.getFileName().toString())
          .filter(file -> file.endsWith(".conf") && !file.endsWith("common.conf"))
          .map(file -> file.substring(0, file.length() - 5)).sorted().toList();
    }
  }

  /** Every sample of filter {@code name}, following addFILE, from {@code logs}. */
  static List<Sample> read(Path logs, String name) throws IOException {
    List<Sample> samples = new ArrayList<>();
    List<String> files = new ArrayList<>(List.of(name));
    for (int f = 0; f < files.size(); f++) {
      String fileName = files.get(f);
      List<String> lines = Files.readAllLines(logs.resolve(fileName), StandardCharsets.UTF_8);
      Map<String, String> fileOptions = new LinkedHashMap<>();
      List<Map<String, String>> optionSets = List.of(Map.of());
      boolean ignoreBlock = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        Matcher special = SPECIAL.matcher(line);
        JsonObject expected = new JsonObject();
        int number = i + 1;
        if (special.matches()) {
          String kind = special.group(1);
          JsonElement json = JsonParser.parseString(special.group(2));
          if (kind.equals("fileOptions")) {
            fileOptions = options(json.getAsJsonObject());
            continue;
          }
          if (kind.equals("filterOptions")) {
            List<Map<String, String>> sets = new ArrayList<>();
            ignoreBlock = false;
            List<JsonElement> items = new ArrayList<>();
            if (json.isJsonArray()) {
              json.getAsJsonArray().forEach(items::add);
            } else {
              items.add(json);
            }
            for (JsonElement item : items) {
              Map<String, String> options = new LinkedHashMap<>(fileOptions);
              options.putAll(options(item.getAsJsonObject()));
              String condition = options.get("test.condition");
              if (condition != null) {
                ignoreBlock = !Condition.holds(condition, name, options);
              }
              if (!ignoreBlock) {
                sets.add(options);
              }
            }
            optionSets = sets;
            continue;
          }
          if (kind.equals("addFILE")) {
            files.add(json.getAsString());
            continue;
          }
          expected = json.getAsJsonObject();
          i++;
          if (i >= lines.size()) {
            break;
          }
          line = lines.get(i);
          number = i + 1;
        } else if (ignoreBlock || line.startsWith("#") || line.isBlank()) {
          continue;
        }
        if (ignoreBlock) {
          continue;
        }
        samples.add(new Sample(fileName, number, line, expected, optionSets));
      }
    }
    return samples;
  }

  private static Map<String, String> options(JsonObject object) {
    Map<String, String> options = new LinkedHashMap<>();
    object.entrySet().forEach(entry -> options.put(entry.getKey(),
        entry.getValue().isJsonPrimitive() ? entry.getValue().getAsString()
            : entry.getValue().toString()));
    return options;
  }

  /**
   * The few Python expressions the sample logs use as {@code test.condition} and
   * {@code constraint}: {@code name == 'x'}, {@code opts.get('k') != 'v'} and the like.
   */
  static final class Condition {
    private static final Pattern FORM = Pattern.compile(
        "^\\s*(name|opts\\.get\\('([^']*)'\\))\\s*(==|!=)\\s*'([^']*)'\\s*$");

    static boolean holds(String expression, String name, Map<String, String> options) {
      Matcher form = FORM.matcher(expression);
      if (!form.matches()) {
        throw new IllegalArgumentException("unsupported sample condition: " + expression);
      }
      String left = form.group(2) == null ? name : options.get(form.group(2));
      boolean equal = form.group(4).equals(left);
      return form.group(3).equals("==") == equal;
    }
  }
}
