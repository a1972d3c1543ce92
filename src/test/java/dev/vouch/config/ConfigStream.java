package dev.vouch.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * fail2ban's config stream (what {@code fail2ban-client -d} prints and {@code reload} sends) for
 * jails read by {@link JailsReader}, and a summary of a stream per jail that ignores the order in
 * which fail2ban happens to send things.
 */
final class ConfigStream {
  /** Jail options fail2ban sends as {@code set JAIL key value} ({@code JailReader.convert}). */
  private static final List<String> JAIL_OPTIONS = List.of(
      "maxretry", "maxmatches", "findtime", "bantime", "bantime.increment", "bantime.factor",
      "bantime.formula", "bantime.multipliers", "bantime.maxtime", "bantime.rndtime",
      "bantime.overalljails", "ignorecommand", "ignoreself", "ignorecache", "logtimezone",
      "logencoding");
  private static final Set<String> INTEGERS = Set.of("maxretry", "maxmatches");
  private static final Set<String> BOOLEANS =
      Set.of("bantime.increment", "bantime.overalljails", "ignoreself");
  private static final Set<String> ACTION_BOOLEANS =
      Set.of("actionstart_on_demand", "actionrepair_on_unban", "norestored");

  private ConfigStream() {}

  /** The stream commands of the enabled jails, as fail2ban's client would build them. */
  static List<List<Object>> of(List<JailDefinition> jails) {
    List<List<Object>> stream = new ArrayList<>();
    for (JailDefinition jail : jails) {
      if (jail.enabled()) {
        stream.addAll(of(jail));
      }
    }
    for (JailDefinition jail : jails) {
      if (jail.enabled()) {
        stream.add(List.of("start", jail.name()));
      }
    }
    return stream;
  }

  private static List<List<Object>> of(JailDefinition jail) {
    String name = jail.name();
    List<List<Object>> stream = new ArrayList<>();
    stream.add(List.of("add", name, jail.backend()));
    jail.filter().ifPresent(filter -> {
      filter.usedns().ifPresent(usedns -> stream.add(List.of("set", name, "usedns", usedns)));
      filter.prefregex().ifPresent(
          prefregex -> stream.add(List.of("set", name, "prefregex", prefregex.text())));
      stream.add(List.of("set", name, "maxlines", (long) filter.maxlines()));
      addRegexes(stream, name, "addfailregex", filter.failregex());
      addRegexes(stream, name, "addignoreregex", filter.ignoreregex());
      if (!filter.datepattern().isEmpty()) {
        stream.add(List.of("set", name, "datepattern", String.join("\n", filter.datepattern())));
      }
      for (String match : filter.journalmatch()) {
        List<Object> command = new ArrayList<>(List.of("set", name, "addjournalmatch"));
        command.addAll(Arrays.asList(match.strip().split("\\s+")));
        stream.add(command);
      }
    });
    for (String key : JAIL_OPTIONS) {
      jail.option(key).ifPresent(value -> stream.add(List.of("set", name, key, typed(key, value))));
    }
    jail.option("ignoreip").ifPresent(ignoreip -> {
      List<Object> command = new ArrayList<>(List.of("set", name, "addignoreip"));
      Arrays.stream(ignoreip.text().split("[ ,\n]+"))
          .map(String::strip).filter(word -> !word.isEmpty()).forEach(command::add);
      stream.add(command);
    });
    for (LogPath logpath : jail.logpaths()) {
      for (String file : glob(logpath.path())) {
        stream.add(List.of("set", name, "addlogpath", file, logpath.tail() ? "tail" : "head"));
      }
    }
    for (ActionDefinition action : jail.actions()) {
      stream.add(List.of("set", name, "addaction", action.actname()));
      List<Object> pairs = new ArrayList<>();
      action.properties().forEach((key, value) ->
          pairs.add(List.of(key, ACTION_BOOLEANS.contains(key) ? Boolean.valueOf(value) : value)));
      action.conditional().forEach((condition, overrides) -> overrides.forEach(
          (key, value) -> pairs.add(List.of(key + "?" + condition, value))));
      stream.add(List.of("multi-set", name, "action", action.actname(), pairs));
    }
    return stream;
  }

  private static void addRegexes(List<List<Object>> stream, String jail, String command,
      List<Value> regexes) {
    List<Object> texts = regexes.stream().map(Value::text).map(Object.class::cast).toList();
    if (texts.size() > 1) {
      stream.add(List.of("multi-set", jail, command, texts));
    } else if (texts.size() == 1) {
      stream.add(List.of("set", jail, command, texts.get(0)));
    }
  }

  private static Object typed(String key, Value value) {
    if (INTEGERS.contains(key)) {
      return (long) value.toInt(key);
    }
    if (BOOLEANS.contains(key)) {
      return value.isTrue();
    }
    return value.text();
  }

  /** Python's glob for the file-name part of a path; a path without wildcards if it exists. */
  private static List<String> glob(String path) {
    if (!path.matches(".*[*?\\[].*")) {
      return Files.exists(Path.of(path)) ? List.of(path) : List.of();
    }
    Path pattern = Path.of(path);
    List<String> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(
        pattern.getParent(), pattern.getFileName().toString())) {
      entries.forEach(entry -> files.add(pattern.getParent() + "/" + entry.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /**
   * Per jail, what the server ends up with after the stream: the lists in order, single values
   * as the last command set them, log paths sorted, datepattern as the server splits it.
   */
  static Map<String, Map<String, Object>> summary(List<List<Object>> stream) {
    Map<String, Map<String, Object>> jails = new LinkedHashMap<>();
    for (List<Object> command : stream) {
      String verb = (String) command.get(0);
      if (verb.equals("add")) {
        Map<String, Object> jail = new TreeMap<>();
        jail.put("backend", command.get(2));
        jail.put("maxlines", 1L);
        jails.put((String) command.get(1), jail);
        continue;
      }
      if (command.size() < 4 || !jails.containsKey((String) command.get(1))) {
        continue; // global settings and start commands
      }
      Map<String, Object> jail = jails.get((String) command.get(1));
      String key = (String) command.get(2);
      List<Object> arguments = command.subList(3, command.size());
      boolean multi = verb.equals("multi-set");
      switch (key) {
        case "addfailregex", "addignoreregex" ->
            list(jail, key).addAll(multi ? asList(arguments.get(0)) : arguments);
        case "addjournalmatch" -> list(jail, key).add(List.copyOf(arguments));
        case "addignoreip", "addaction" -> list(jail, key).addAll(arguments);
        case "addlogpath" -> {
          list(jail, key).add(arguments.get(0) + " " + arguments.get(1));
          list(jail, key).sort(null);
        }
        case "datepattern" -> jail.put(key, Arrays.stream(((String) arguments.get(0)).split("\n+"))
            .map(String::strip).filter(line -> !line.isEmpty()).toList());
        case "action" -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> properties = (Map<String, Object>)
              jail.computeIfAbsent("action " + arguments.get(0), k -> new LinkedHashMap<>());
          if (multi) {
            for (Object pair : asList(arguments.get(1))) {
              properties.put((String) asList(pair).get(0), asList(pair).get(1));
            }
          } else {
            properties.put((String) arguments.get(1), arguments.get(2));
          }
        }
        default -> jail.put(key, arguments.size() == 1 ? arguments.get(0) : arguments);
      }
    }
    return jails;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> jail, String key) {
    return (List<Object>) jail.computeIfAbsent(key, k -> new ArrayList<>());
  }

  @SuppressWarnings("unchecked")
  private static List<Object> asList(Object value) {
    return (List<Object>) value;
  }
}
