package dev.vouch.cli;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.daemon.StateAccess;
import dev.vouch.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vouch allow remove}: remove allowances. */
@Command(name = "remove",
    description = {"Remove the allowances of addresses, networks or host names (of every"
        + " source but the configuration's ignoreip). Exit 1 when there was none."},
    footer = {"%nExamples:",
        "  vouch allow remove 198.51.100.4",
        "  vouch allow remove 192.0.2.0/24 --jail sshd",
        "  vouch allow remove office.example.net"})
final class AllowRemoveCommand extends StateCommand {
  @Parameters(arity = "1..*", paramLabel = "ADDR|CIDR|HOST")
  List<String> targets;

  @Option(names = "--jail", paramLabel = "JAIL", description = "Only the allowance for this jail.")
  String jail;

  AllowRemoveCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    List<Allowance> removed = state.call(view -> {
      if (jail != null) {
        view.requireJail(jail);
      }
      List<Allowance> result = new ArrayList<>();
      for (String target : targets) {
        if (Targets.numeric(target)) {
          Cidr network = Targets.network(target, true);
          result.addAll(view.revoke(network, Optional.ofNullable(jail), "removed by hand"));
          continue;
        }
        // A host name: the allowances it gave, whatever it resolves to now.
        String name = Targets.hostName(target);
        for (Allowance allowance : view.allowances()) {
          if (allowance.source() == AllowSource.DNS && allowance.key().origin().equals(name)
              && (jail == null || jail.equals(allowance.scope()))) {
            view.revoke(allowance.key(), "removed by hand").ifPresent(result::add);
          }
        }
      }
      return result;
    });
    if (removed.isEmpty()) {
      context.err.println("vouch: nothing to remove: no allowance of " + String.join(" ", targets)
          + (jail == null ? "" : " for " + jail) + " (see vouch allow list)");
      return ExitCode.NEGATIVE;
    }
    for (Allowance allowance : removed) {
      context.out.println("removed " + allowance.network() + " for " + allowance.scope() + " ("
          + Render.origin(allowance) + ")");
    }
    return ExitCode.OK;
  }
}
