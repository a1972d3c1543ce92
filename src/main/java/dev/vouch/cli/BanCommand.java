package dev.vouch.cli;

import dev.vouch.config.ConfigException;
import dev.vouch.config.TimeValue;
import dev.vouch.daemon.StateAccess;
import dev.vouch.jail.Ban;
import dev.vouch.net.Cidr;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vouch ban ADDR --jail J [--time D]}. */
@Command(name = "ban",
    description = {"Ban an address (or network) in a failure jail, for its bantime or --time"
        + " (-1 = permanent). An address allowed for that jail is refused: remove the"
        + " allowance first."},
    footer = {"%nExamples:", "  vouch ban 203.0.113.7 --jail sshd",
        "  vouch ban 203.0.113.0/24 --jail sshd --time 1w"})
final class BanCommand extends StateCommand {
  @Parameters(paramLabel = "ADDR|CIDR")
  String address;

  @Option(names = "--jail", paramLabel = "JAIL", required = true)
  String jail;

  @Option(names = "--time", paramLabel = "DURATION",
      description = "How long (fail2ban's units; -1 = permanent). Default: the jail's bantime.")
  String time;

  BanCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    Cidr network = Targets.network(address, false);
    Optional<Optional<Duration>> fixed = Optional.empty();
    if (time != null) {
      TimeValue value;
      try {
        value = TimeValue.parse(time.strip());
      } catch (ConfigException e) {
        throw new UsageException("--time: expected a duration like 10m, 1h, 7d, or -1. Found: "
            + time);
      }
      if (value.seconds() == 0 || (value.seconds() < 0 && !value.isPermanent())) {
        throw new UsageException("--time: expected a positive duration, or -1 for permanent."
            + " Found: " + time);
      }
      fixed = Optional.of(value.isPermanent() ? Optional.empty()
          : Optional.of(value.toDuration()));
    }
    Optional<Optional<Duration>> bantime = fixed;
    Ban ban = state.call(view -> view.ban(network, jail, bantime, "banned by hand"));
    Render render = new Render(context.clock.getZone(), ban.since());
    context.out.println("banned " + ban.network() + " in " + ban.jail() + ", "
        + render.left(ban.until()));
    if (!state.live()) {
      context.err.println("note: vouch is not running; the ban is recorded and takes effect"
          + " on the firewall when it starts");
    }
    return ExitCode.OK;
  }
}
