package dev.vouch.cli;

import dev.vouch.daemon.StateAccess;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vouch allow prune}. */
@Command(name = "prune",
    description = {"Delete allowances that have ended (they stay on record for allow list"
        + " --expired until then), and audit events older than --keep."},
    footer = {"%nExamples:", "  vouch allow prune", "  vouch allow prune --keep 1y"})
final class AllowPruneCommand extends StateCommand {
  @Option(names = "--keep", paramLabel = "DURATION", defaultValue = "90d",
      description = "Keep audit events this long (default: ${DEFAULT-VALUE}).")
  String keep;

  AllowPruneCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    Lifetime lifetime = new Lifetime();
    lifetime.ttl = keep;
    Duration duration = Duration.between(context.clock.instant(),
        lifetime.until(context.clock.instant()).orElseThrow());
    int pruned = state.prune(context.clock.instant().minus(duration));
    context.out.println("pruned " + pruned + " ended allowance" + (pruned == 1 ? "" : "s"));
    return ExitCode.OK;
  }
}
