package dev.vouch.cli;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.AllowanceKey;
import dev.vouch.allowlist.Evidence;
import dev.vouch.daemon.Resolver;
import dev.vouch.daemon.StateAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vouch allow add}: allow addresses, networks or host names. */
@Command(name = "add",
    description = {"Allow addresses, networks or host names: no jail named (or --jail *) bans"
        + " them until they expire.",
        "A host name allows every address it resolves to now. The daemon resolves it again"
            + " every dnsrefresh (vouch.conf, default 5m; the system resolver does not tell a"
            + " record's TTL), allows the addresses it gains and drops those it loses. A name"
            + " that stops resolving keeps its addresses; a name that does not resolve now is"
            + " refused and nothing is allowed."},
    footer = {"%nExamples:",
        "  vouch allow add 198.51.100.4 --jail sshd --ttl 1d",
        "  vouch allow add 192.0.2.0/24 --ttl 7d --note 'office of a colleague'",
        "  vouch allow add office.example.net --permanent"})
final class AllowAddCommand extends StateCommand {
  @Parameters(arity = "1..*", paramLabel = "ADDR|CIDR|HOST")
  List<String> targets;

  @Option(names = "--jail", paramLabel = "JAIL",
      description = "A jail it is allowed for; repeat for several (default: * = every jail).")
  List<String> jails;

  @ArgGroup(exclusive = true)
  Lifetime lifetime = new Lifetime();

  @Option(names = "--note", paramLabel = "TEXT", description = "Why, for whoever reads it later.")
  String note;

  @Option(names = "--force", description = "Allow even a network of every address (/0).")
  boolean force;

  AllowAddCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    Resolver resolver = new Resolver(Duration.ZERO);
    List<Targets.Target> resolved = new ArrayList<>();
    for (String target : targets) {
      resolved.add(Targets.target(target, force, resolver));
    }
    List<String> scopes = jails == null || jails.isEmpty()
        ? List.of(AllowanceKey.ALL_JAILS) : jails;
    List<Allowance> allowed = state.call(view -> {
      scopes.forEach(view::requireJail);
      List<Allowance> result = new ArrayList<>();
      for (Targets.Target target : resolved) {
        AllowSource source = target.hostName().isPresent() ? AllowSource.DNS : AllowSource.MANUAL;
        result.addAll(view.allow(target.networks(), scopes, lifetime.until(view.now()), source,
            target.hostName().orElse(""), Evidence.note(note)));
      }
      return result;
    });
    Render render = new Render(context.clock.getZone(), context.clock.instant());
    for (Allowance allowance : allowed) {
      context.out.println("allowed " + allowance.network() + " for " + allowance.scope() + ", "
          + render.left(allowance.expires()) + " (" + Render.origin(allowance) + ")");
    }
    return ExitCode.OK;
  }
}
