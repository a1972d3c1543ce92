package dev.vouch.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vouch.allowlist.Allowance;
import dev.vouch.audit.Event;
import dev.vouch.daemon.StateAccess;
import dev.vouch.jail.Ban;
import dev.vouch.net.IpAddress;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vouch explain ADDR}: everything vouch knows about an address. */
@Command(name = "explain",
    description = {"Everything vouch knows about an address, newest first: the allowances that"
        + " cover it and why, its bans with the log lines and regex that led to them, failures"
        + " spared because it was allowed, and what was pushed to fail2ban."},
    footer = {"%nExamples:", "  vouch explain 203.0.113.7",
        "  vouch explain 2001:db8::17 --format json"})
final class ExplainCommand extends StateCommand {
  @Parameters(paramLabel = "ADDR")
  String address;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "200",
      description = "At most this many history entries (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text")
  String format;

  ExplainCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    Formats.check(format);
    IpAddress ip = Targets.address(address);
    record Now(List<Allowance> allowances, List<Ban> bans, Instant now) {}
    Now current = state.call(view -> new Now(
        view.allowances().stream().filter(a -> a.network().contains(ip)).toList(),
        view.bans().stream().filter(b -> b.network().contains(ip)).toList(), view.now()));
    List<Event> history = state.history(ip, limit);
    Render render = new Render(context.clock.getZone(), current.now());
    if (format.equals("json")) {
      JsonObject root = new JsonObject();
      root.addProperty("address", ip.toString());
      root.add("allowances", render.allowances(current.allowances()));
      JsonArray bans = new JsonArray();
      current.bans().forEach(ban -> bans.add(Render.json(ban)));
      root.add("bans", bans);
      JsonArray events = new JsonArray();
      history.forEach(event -> events.add(Render.json(event)));
      root.add("history", events);
      context.out.print(Render.pretty(root));
      return ExitCode.OK;
    }
    var out = context.out;
    out.println(ip);
    if (current.allowances().isEmpty()) {
      out.println("|- allowed: no allowance covers it");
    }
    for (Allowance allowance : current.allowances()) {
      out.println("|- allowed for " + allowance.scope() + " by " + allowance.network() + " ("
          + Render.origin(allowance) + "), " + render.left(allowance.expires()) + ", since "
          + render.time(allowance.created())
          + (allowance.hits() > 1 ? ", renewed " + (allowance.hits() - 1) + "x" : ""));
      allowance.evidence().user().ifPresent(user -> out.println("|     user: " + user));
      allowance.evidence().line().ifPresent(line -> out.println("|     line: " + line));
    }
    if (current.bans().isEmpty()) {
      out.println("|- banned: not banned by vouch");
    }
    for (Ban ban : current.bans()) {
      out.println("|- banned in " + ban.jail() + " since " + render.time(ban.since()) + ", "
          + render.left(ban.until()) + " (ban " + ban.count() + ")");
      out.println("|     reason: " + ban.reason());
    }
    out.println("`- history, newest first" + (history.isEmpty() ? ": nothing on record" : ":"));
    for (Event event : history) {
      StringBuilder line = new StringBuilder("   ").append(render.time(event.time()))
          .append("  ").append(String.format("%-15s", event.kind().text()))
          .append(String.format("%-14s", event.jail()));
      if (!event.subject().equals(ip.toString())) {
        line.append(event.subject()).append("  ");
      }
      event.user().ifPresent(user -> line.append("user ").append(user).append("  "));
      event.detail().ifPresent(line::append);
      event.until().ifPresent(until -> line.append(", until ").append(render.time(until)));
      out.println(line.toString().stripTrailing());
      event.line().ifPresent(text -> out.println("      " + text));
    }
    return ExitCode.OK;
  }
}
