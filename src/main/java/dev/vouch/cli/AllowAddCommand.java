package dev.vouch.cli;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.AllowanceKey;
import dev.vouch.allowlist.Evidence;
import dev.vouch.allowlist.Grants;
import dev.vouch.daemon.Resolver;
import dev.vouch.daemon.StateAccess;
import dev.vouch.net.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
            + " refused and nothing is allowed.",
        "With --login, the address logged in and JAIL (a fail2ban jail, say) saw it: the"
            + " allowance is of source login, kept apart from those added by hand, as wide as"
            + " the allowprefix of vouch's allow jail JAIL (default 32 64: an IPv6 address"
            + " allows its /64), and a later login only ever extends it (the"
            + " actions/vouch-allow.conf hand-off)."},
    footer = {"%nExamples:",
        "  vouch allow add 198.51.100.4 --jail sshd --ttl 1d",
        "  vouch allow add 192.0.2.0/24 --ttl 7d --note 'office of a colleague'",
        "  vouch allow add office.example.net --permanent",
        "  vouch allow add 198.51.100.4 --ttl 30d --login sshd-allow --user alice"})
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

  @Option(names = "--login", paramLabel = "JAIL",
      description = "A successful login that JAIL saw: allow the address as a login (source"
          + " login), renewed, never shortened, by the next.")
  String login;

  @Option(names = "--user", paramLabel = "USER",
      description = "With --login: who logged in, kept as evidence.")
  String user;

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
    if (login != null) {
      checkLogin(resolved);
    } else if (user != null) {
      throw new UsageException("--user goes with --login (who logged in)");
    }
    List<String> scopes = jails == null || jails.isEmpty()
        ? List.of(AllowanceKey.ALL_JAILS) : jails;
    List<Allowance> allowed = state.call(view -> {
      scopes.forEach(view::requireJail);
      List<Allowance> result = new ArrayList<>();
      for (Targets.Target target : resolved) {
        if (login != null) {
          // As wide as an allow jail of vouch's grants a login (an IPv6 address: its /64).
          List<Cidr> widened = target.networks().stream().map(network -> Grants.fromLog(
              network.address(), view.loginPrefix(login)).orElseThrow()).toList();
          result.addAll(view.allow(widened, scopes, lifetime.until(view.now()),
              AllowSource.LOGIN, login, new Evidence(Optional.of(login), Optional.empty(),
                  Optional.ofNullable(user).filter(name -> !name.isEmpty()), Optional.empty(),
                  Evidence.note(note).note())));
          continue;
        }
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

  /** A login comes from one address: not from a network, not from a name. */
  private void checkLogin(List<Targets.Target> resolved) {
    if (login.isBlank()) {
      throw new UsageException("--login: name the jail that saw the login");
    }
    for (Targets.Target target : resolved) {
      if (target.hostName().isPresent() || !target.networks().get(0).isHost()) {
        throw new UsageException("--login takes addresses (a login comes from one), not "
            + target.text());
      }
    }
  }
}
