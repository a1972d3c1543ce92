package dev.vouch.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vouch.allowlist.Allowance;
import dev.vouch.daemon.StateAccess;
import dev.vouch.jail.Ban;
import dev.vouch.jail.JailStatus;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vouch status [JAIL]}: like {@code fail2ban-client status}. */
@Command(name = "status",
    description = "The jails (or one jail) as fail2ban-client status shows them, plus what vouch"
        + " spared and allowed.",
    footer = {"%nExamples:", "  vouch status", "  vouch status sshd",
        "  vouch status sshd-allow --format json"})
final class StatusCommand extends StateCommand {
  @Parameters(paramLabel = "JAIL", arity = "0..1")
  String jail;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text")
  String format;

  StatusCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    Formats.check(format);
    record Snapshot(List<JailStatus> jails, Instant now) {}
    Snapshot snapshot = state.call(view -> new Snapshot(
        jail == null ? view.status() : List.of(view.status(jail)), view.now()));
    Render render = new Render(context.clock.getZone(), snapshot.now());
    if (format.equals("json")) {
      JsonObject root = new JsonObject();
      root.addProperty("running", state.live());
      JsonArray jails = new JsonArray();
      snapshot.jails().forEach(status -> jails.add(json(status, render)));
      root.add("jails", jails);
      context.out.print(Render.pretty(jail == null ? root : jails.get(0)));
      return ExitCode.OK;
    }
    if (jail == null) {
      context.out.println("Status");
      context.out.println("|- Number of jail:\t" + snapshot.jails().size());
      context.out.println("`- Jail list:\t" + String.join(", ",
          snapshot.jails().stream().map(JailStatus::name).toList()));
      return ExitCode.OK;
    }
    JailStatus status = snapshot.jails().get(0);
    context.out.println("Status for the jail: " + status.name());
    if (status instanceof JailStatus.BanJailStatus ban) {
      context.out.println("|- Filter");
      context.out.println("|  |- Currently failed:\t" + ban.currentlyFailed());
      context.out.println("|  |- Total failed:\t" + ban.totalFailed());
      context.out.println("|  `- Spared (allowed):\t" + ban.spared());
      context.out.println("`- Actions");
      context.out.println("   |- Currently banned:\t" + ban.banned().size());
      context.out.println("   |- Total banned:\t" + ban.totalBanned());
      context.out.println("   `- Banned IP list:\t" + String.join(" ",
          ban.banned().stream().map(b -> b.network().toString()).toList()));
    } else if (status instanceof JailStatus.AllowJailStatus allow) {
      context.out.println("|- Allows for:\t" + String.join(" ", allow.allowFor()));
      context.out.println("|- Currently allowed:\t" + distinct(allow.allowed()).size());
      context.out.println("|- Total granted:\t" + allow.totalGranted());
      context.out.println("`- Allowed IP list:\t" + String.join(" ",
          distinct(allow.allowed()).stream().map(a -> a.network() + " ("
              + render.left(a.expires()) + ")").toList()));
    }
    return ExitCode.OK;
  }

  /** One allowance per network (an allow jail grants one per jail it vouches for). */
  private static List<Allowance> distinct(List<Allowance> allowances) {
    java.util.Map<String, Allowance> byNetwork = new java.util.LinkedHashMap<>();
    allowances.forEach(a -> byNetwork.putIfAbsent(a.network().toString(), a));
    return List.copyOf(byNetwork.values());
  }

  private static JsonObject json(JailStatus status, Render render) {
    JsonObject object = new JsonObject();
    object.addProperty("name", status.name());
    if (status instanceof JailStatus.BanJailStatus ban) {
      object.addProperty("kind", "ban");
      object.addProperty("currently_failed", ban.currentlyFailed());
      object.addProperty("total_failed", ban.totalFailed());
      object.addProperty("spared", ban.spared());
      object.addProperty("currently_banned", ban.banned().size());
      object.addProperty("total_banned", ban.totalBanned());
      JsonArray banned = new JsonArray();
      for (Ban b : ban.banned()) {
        banned.add(Render.json(b));
      }
      object.add("banned", banned);
    } else if (status instanceof JailStatus.AllowJailStatus allow) {
      object.addProperty("kind", "allow");
      JsonArray allowFor = new JsonArray();
      allow.allowFor().forEach(allowFor::add);
      object.add("allowfor", allowFor);
      object.addProperty("currently_allowed", distinct(allow.allowed()).size());
      object.addProperty("total_granted", allow.totalGranted());
      object.add("allowed", render.allowances(allow.allowed()));
    }
    return object;
  }
}
