package dev.vouch.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.AllowanceKey;
import dev.vouch.net.Cidr;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The allowlist as a file: plain text, one entry per line ({@code NETWORK [jail=J,K]
 * [until=INSTANT|permanent] [note="..."]}, {@code #} comments), or JSON (an array of
 * objects with {@code network}, {@code jail}, {@code expires}, {@code note}, as
 * {@code allow list --format json} prints them).
 */
final class AllowFile {
  private static final Pattern OPTION =
      Pattern.compile("\\s+([a-z]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

  /** One entry to import. */
  record Entry(Cidr network, List<String> jails, Optional<Instant> until, Optional<String> note) {}

  private AllowFile() {}

  /**
   * Reads every entry; the first bad one stops it with {@code NAME:LINE: what is wrong}, so that
   * nothing of a bad file is imported.
   */
  static List<Entry> parse(String name, String text) {
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
      return parseJson(name, trimmed);
    }
    List<Entry> entries = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        entries.add(parseLine(line));
      } catch (UsageException e) {
        throw new UsageException(name + ":" + (i + 1) + ": " + e.getMessage()
            + ". Nothing was imported.");
      }
    }
    return entries;
  }

  private static Entry parseLine(String line) {
    int space = line.indexOf(' ');
    String network = space < 0 ? line : line.substring(0, space);
    String rest = space < 0 ? "" : line.substring(space);
    Cidr cidr = Targets.network(network, false);
    List<String> jails = new ArrayList<>();
    Optional<Instant> until = Optional.empty();
    Optional<String> note = Optional.empty();
    Matcher option = OPTION.matcher(rest);
    int end = 0;
    while (option.find()) {
      if (option.start() != end) {
        break;
      }
      end = option.end();
      String value = option.group(2);
      if (value.startsWith("\"")) {
        value = value.substring(1, value.length() - 1).replace("\\\"", "\"")
            .replace("\\\\", "\\");
      }
      switch (option.group(1)) {
        case "jail" -> {
          for (String jail : value.split(",")) {
            if (!jail.isBlank()) {
              jails.add(jail.strip());
            }
          }
        }
        case "until" -> until = until(value);
        case "note" -> note = Optional.of(value);
        case "source", "origin", "hits" -> { } // written by export, decided anew on import
        default -> throw new UsageException("unknown key " + option.group(1)
            + "; expected jail=, until= or note=");
      }
    }
    if (end != rest.length() && !rest.substring(end).isBlank()) {
      throw new UsageException("cannot read \"" + rest.substring(end).strip()
          + "\"; expected key=value after the network");
    }
    return new Entry(cidr, jails.isEmpty() ? List.of(AllowanceKey.ALL_JAILS) : jails, until, note);
  }

  private static Optional<Instant> until(String value) {
    if (value.equals("permanent") || value.equals("never")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      throw new UsageException("until: expected an instant like 2026-12-31T00:00:00Z or"
          + " permanent. Found: " + value);
    }
  }

  private static List<Entry> parseJson(String name, String text) {
    JsonElement root;
    try {
      root = JsonParser.parseString(text);
    } catch (JsonParseException e) {
      throw new UsageException(name + ": not valid JSON (" + e.getMessage()
          + "). Nothing was imported.");
    }
    JsonArray array = root.isJsonArray() ? root.getAsJsonArray() : new JsonArray();
    if (root.isJsonObject()) {
      array.add(root);
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      try {
        JsonObject object = array.get(i).getAsJsonObject();
        Cidr network = Targets.network(object.get("network").getAsString(), false);
        List<String> jails = new ArrayList<>();
        JsonElement jail = object.get("jail");
        if (jail != null && jail.isJsonArray()) {
          jail.getAsJsonArray().forEach(item -> jails.add(item.getAsString()));
        } else if (jail != null && !jail.isJsonNull()) {
          jails.add(jail.getAsString());
        }
        JsonElement expires = object.get("expires");
        Optional<Instant> until = expires == null || expires.isJsonNull() ? Optional.empty()
            : until(expires.getAsString());
        JsonElement note = object.has("note") ? object.get("note")
            : object.has("evidence") && object.getAsJsonObject("evidence").has("note")
                ? object.getAsJsonObject("evidence").get("note") : null;
        entries.add(new Entry(network, jails.isEmpty() ? List.of(AllowanceKey.ALL_JAILS) : jails,
            until, note == null || note.isJsonNull() ? Optional.empty()
                : Optional.of(note.getAsString())));
      } catch (UsageException e) {
        throw new UsageException(name + ": entry " + (i + 1) + ": " + e.getMessage()
            + ". Nothing was imported.");
      } catch (RuntimeException e) {
        throw new UsageException(name + ": entry " + (i + 1) + ": expected an object with"
            + " \"network\". Nothing was imported.");
      }
    }
    return entries;
  }

  /** The text form of the allowances, one per line. */
  static String text(List<Allowance> allowances, Instant now) {
    StringBuilder out = new StringBuilder("# vouch allowlist, exported " + Render.instant(now)
        + "\n"
        + "# NETWORK jail=JAIL until=INSTANT|permanent [note=\"...\"]\n");
    for (Allowance allowance : allowances) {
      if (allowance.source() == AllowSource.CONFIG) {
        continue;
      }
      out.append(allowance.network()).append(" jail=").append(allowance.scope())
          .append(" until=").append(allowance.expires().map(Render::instant).orElse("permanent"))
          .append(" source=").append(allowance.source().text());
      if (!allowance.key().origin().isEmpty()) {
        out.append(" origin=").append(allowance.key().origin().replace(' ', '_'));
      }
      allowance.evidence().note().ifPresent(note -> out.append(" note=\"")
          .append(note.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " "))
          .append('"'));
      out.append('\n');
    }
    return out.toString();
  }
}
