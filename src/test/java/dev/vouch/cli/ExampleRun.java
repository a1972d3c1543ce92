package dev.vouch.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A copy of one example directory, driven through vouch's command line in this process, as an
 * admin would run it: {@code vouch -c COPY check-config}, {@code run --replay}, and the state
 * commands that tell what the replay decided.
 */
final class ExampleRun {
  record Result(int exit, String out, String err) {
    String both() {
      return out + err;
    }
  }

  /** The decisions read back, and per ban jail how many bans and spared failures they hold. */
  record Observed(ExampleDecisions decisions, Map<String, Integer> bans,
      Map<String, Integer> spared) {}

  final Path dir;
  private final Path example;
  private final Path install;

  private ExampleRun(Path example, Path dir, Path install) {
    this.example = example;
    this.dir = dir;
    this.install = install;
  }

  /** Copies {@code example} to {@code scratch} (without the state/ of an earlier run). */
  static ExampleRun copy(Path example, Path scratch, Path install) throws IOException {
    copyTree(example, scratch, path -> !example.relativize(path).startsWith("state"));
    return new ExampleRun(example, scratch, install);
  }

  /** Copies the content of the example's subdirectory {@code name} over the copy. */
  void overlay(String name) throws IOException {
    copyTree(example.resolve(name), dir, path -> true);
  }

  /**
   * Adds fail2ban's stock filters to the search path, where a server that has fail2ban installed
   * finds them (/etc/fail2ban/filter.d), in a file of vouch.d/ that the examples do not have.
   */
  void searchFilters(Path fail2banFilters) throws IOException {
    Files.createDirectories(dir.resolve("vouch.d"));
    Files.writeString(dir.resolve("vouch.d/tests.local"), "[Definition]\nfilterpath = "
        + install.resolve("filters") + " " + fail2banFilters + "\n", StandardCharsets.UTF_8);
  }

  Result vouch(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = Stream.concat(Stream.of("-c", dir.toString()), Stream.of(args))
        .toArray(String[]::new);
    int exit = new Main(new CliContext(new PrintWriter(out), new PrintWriter(err),
        new ByteArrayInputStream(new byte[0]), Clock.systemDefaultZone(), install,
        Optional.empty())).run(all);
    return new Result(exit, out.toString(), err.toString());
  }

  /** The lines of the log action's file, state/decisions.log, if the run wrote one. */
  List<String> decisionsLog() throws IOException {
    Path log = dir.resolve("state/decisions.log");
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }

  /**
   * What the replay decided: every network an allow jail vouched for ({@code allow list
   * --expired}, source login), and the bans and spared failures in the history of each of {@code addresses}
   * ({@code explain}).
   */
  Observed observe(Set<String> addresses) {
    Set<String> vouched = new TreeSet<>();
    for (JsonElement entry : json("allow", "list", "--expired", "--format", "json")
        .getAsJsonArray()) {
      JsonObject allowance = entry.getAsJsonObject();
      if (allowance.get("source").getAsString().equals("login")) { // not ignoreip's entries
        vouched.add(allowance.get("network").getAsString());
      }
    }
    Map<String, Set<String>> banned = new TreeMap<>();
    Map<String, Set<String>> spared = new TreeMap<>();
    Map<String, Integer> banCount = new TreeMap<>();
    Map<String, Integer> sparedCount = new TreeMap<>();
    for (String address : addresses) {
      JsonObject explained = json("explain", address, "--limit", "100000", "--format", "json")
          .getAsJsonObject();
      for (JsonElement element : explained.getAsJsonArray("history")) {
        JsonObject event = element.getAsJsonObject();
        String jail = event.get("jail").getAsString();
        switch (event.get("kind").getAsString()) {
          case "ban" -> {
            banned.computeIfAbsent(jail, key -> new TreeSet<>()).add(address);
            banCount.merge(jail, 1, Integer::sum);
          }
          case "spared" -> {
            spared.computeIfAbsent(jail, key -> new TreeSet<>()).add(address);
            sparedCount.merge(jail, 1, Integer::sum);
          }
          default -> { }
        }
      }
    }
    return new Observed(new ExampleDecisions(vouched, banned, spared), banCount, sparedCount);
  }

  /** Per ban jail, its total bans and spared failures ({@code status --format json}). */
  Map<String, int[]> totals() {
    Map<String, int[]> totals = new TreeMap<>();
    for (JsonElement element : json("status", "--format", "json").getAsJsonObject()
        .getAsJsonArray("jails")) {
      JsonObject jail = element.getAsJsonObject();
      if (jail.get("kind").getAsString().equals("ban")) {
        totals.put(jail.get("name").getAsString(), new int[] {
            jail.get("total_banned").getAsInt(), jail.get("spared").getAsInt()});
      }
    }
    return totals;
  }

  private JsonElement json(String... args) {
    Result result = vouch(args);
    if (result.exit() != 0) {
      throw new AssertionError("vouch " + String.join(" ", args) + " exited with "
          + result.exit() + ":\n" + result.both());
    }
    return JsonParser.parseString(result.out());
  }

  private static void copyTree(Path from, Path to, java.util.function.Predicate<Path> keep)
      throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(from)) {
      paths = new ArrayList<>(walk.filter(keep).toList());
    }
    for (Path path : paths) {
      Path target = to.resolve(from.relativize(path).toString());
      try {
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy " + path + " to " + target, e);
      }
    }
  }
}
