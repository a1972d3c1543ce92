package dev.vouch.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.Evidence;
import dev.vouch.audit.Event;
import dev.vouch.jail.Ban;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * How state prints: text for people (local times, time left), JSON for programs (the shapes
 * documented in the README: times as UTC ISO-8601 instants, absent values as null).
 */
final class Render {
  private final ZoneId zone;
  private final Instant now;
  private final DateTimeFormatter local;

  Render(ZoneId zone, Instant now) {
    this.zone = zone;
    this.now = now;
    this.local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
  }

  String time(Instant instant) {
    return local.format(instant);
  }

  /** "29d 23h left", "expired 2h ago", "permanent". */
  String left(Optional<Instant> until) {
    if (until.isEmpty()) {
      return "permanent";
    }
    Duration left = Duration.between(now, until.get());
    return left.isNegative() ? "ended " + span(left.negated()) + " ago" : span(left) + " left";
  }

  static String span(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds >= 86400) {
      return seconds / 86400 + "d " + (seconds % 86400) / 3600 + "h";
    }
    if (seconds >= 3600) {
      return seconds / 3600 + "h " + (seconds % 3600) / 60 + "m";
    }
    if (seconds >= 60) {
      return seconds / 60 + "m " + seconds % 60 + "s";
    }
    return seconds + "s";
  }

  /**
   * The source of an allowance in words: "login (sshd-allow)", "manual: office",
   * "dns (office.example.net)", "ignoreip of sshd: gw.example.net", "ignoreself of sshd".
   */
  static String origin(Allowance allowance) {
    if (allowance.source() == AllowSource.CONFIG) {
      // The origin is the jail, then the host name or "ignoreself" the entry came from.
      String[] parts = allowance.key().origin().split(" ", 2);
      return parts.length == 1 ? "ignoreip of " + parts[0]
          : parts[1].equals("ignoreself") ? "ignoreself of " + parts[0]
          : "ignoreip of " + parts[0] + ": " + parts[1];
    }
    String text = allowance.source().text()
        + (allowance.key().origin().isEmpty() ? "" : " (" + allowance.key().origin() + ")");
    return allowance.evidence().note().map(note -> text + ": " + note).orElse(text);
  }

  // --- JSON ---

  static String pretty(JsonElement element) {
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(element)
        + "\n";
  }

  /**
   * An instant as UTC ISO-8601 to the millisecond, the database's precision: the same value
   * prints the same whether it comes from the daemon's memory or from the database.
   */
  static String instant(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  static JsonElement instant(Optional<Instant> instant) {
    return instant.map(value -> (JsonElement) new com.google.gson.JsonPrimitive(instant(value)))
        .orElse(com.google.gson.JsonNull.INSTANCE);
  }

  JsonObject json(Allowance allowance) {
    JsonObject object = new JsonObject();
    object.addProperty("network", allowance.network().toString());
    object.addProperty("jail", allowance.scope());
    object.addProperty("source", allowance.source().text());
    object.addProperty("origin", allowance.key().origin());
    object.addProperty("created", instant(allowance.created()));
    object.addProperty("renewed", instant(allowance.renewed()));
    object.add("expires", instant(allowance.expires()));
    object.addProperty("permanent", allowance.permanent());
    object.addProperty("live", allowance.liveAt(now));
    object.addProperty("hits", allowance.hits());
    object.add("evidence", json(allowance.evidence()));
    return object;
  }

  static JsonObject json(Evidence evidence) {
    JsonObject object = new JsonObject();
    evidence.jail().ifPresent(value -> object.addProperty("jail", value));
    evidence.filter().ifPresent(value -> object.addProperty("filter", value));
    evidence.user().ifPresent(value -> object.addProperty("user", value));
    evidence.line().ifPresent(value -> object.addProperty("line", value));
    evidence.note().ifPresent(value -> object.addProperty("note", value));
    return object;
  }

  static JsonObject json(Ban ban) {
    JsonObject object = new JsonObject();
    object.addProperty("network", ban.network().toString());
    object.addProperty("jail", ban.jail());
    object.addProperty("since", instant(ban.since()));
    object.add("until", instant(ban.until()));
    object.addProperty("count", ban.count());
    object.addProperty("reason", ban.reason());
    return object;
  }

  static JsonObject json(Event event) {
    JsonObject object = new JsonObject();
    object.addProperty("time", instant(event.time()));
    object.addProperty("kind", event.kind().text());
    object.addProperty("subject", event.subject());
    object.addProperty("jail", event.jail());
    event.user().ifPresent(value -> object.addProperty("user", value));
    event.line().ifPresent(value -> object.addProperty("line", value));
    event.detail().ifPresent(value -> object.addProperty("detail", value));
    object.add("until", instant(event.until()));
    return object;
  }

  JsonArray allowances(List<Allowance> allowances) {
    JsonArray array = new JsonArray();
    allowances.forEach(allowance -> array.add(json(allowance)));
    return array;
  }

  ZoneId zone() {
    return zone;
  }
}
