package dev.vouch.cli;

import dev.vouch.daemon.StateAccess;
import dev.vouch.jail.Ban;
import dev.vouch.net.Cidr;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vouch unban ADDR [--jail J | --all]}: a restart does not undo it. */
@Command(name = "unban",
    description = {"Lift the bans of an address (or of every address in a network), in one"
        + " jail or all (the default). A restart does not bring them back. Exit 1 when none"
        + " was banned."},
    footer = {"%nExamples:", "  vouch unban 203.0.113.7", "  vouch unban 203.0.113.7 --jail sshd"})
final class UnbanCommand extends StateCommand {
  @Parameters(paramLabel = "ADDR|CIDR")
  String address;

  static final class Scope {
    @Option(names = "--jail", paramLabel = "JAIL")
    String jail;

    @Option(names = "--all", description = "Every jail (the default).")
    boolean all;
  }

  @ArgGroup(exclusive = true)
  Scope scope = new Scope();

  UnbanCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    Cidr network = Targets.network(address, true);
    List<Ban> lifted = state.call(view -> view.unban(network, Optional.ofNullable(scope.jail),
        "unbanned by hand"));
    if (lifted.isEmpty()) {
      context.err.println("vouch: " + network + " is not banned"
          + (scope.jail == null ? "" : " in " + scope.jail));
      return ExitCode.NEGATIVE;
    }
    for (Ban ban : lifted) {
      context.out.println("unbanned " + ban.network() + " in " + ban.jail());
    }
    return ExitCode.OK;
  }
}
