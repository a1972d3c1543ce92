package dev.vouch.cli;

import dev.vouch.allowlist.Allowance;
import dev.vouch.daemon.StateAccess;
import dev.vouch.jail.EngineView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vouch allow list}. */
@Command(name = "list",
    description = "List the allowances in force (with --expired, also those that ended).",
    footer = {"%nExamples:", "  vouch allow list", "  vouch allow list --jail sshd --format json"})
final class AllowListCommand extends StateCommand {
  @Option(names = "--jail", paramLabel = "JAIL",
      description = "Only allowances that cover this jail.")
  String jail;

  @Option(names = "--expired", description = "Also list allowances that have ended.")
  boolean expired;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text")
  String format;

  AllowListCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    Formats.check(format);
    List<Allowance> allowances = new ArrayList<>(state.call(view -> {
      if (jail != null) {
        view.requireJail(jail);
      }
      return view.allowances();
    }));
    if (expired) {
      allowances.addAll(state.ended());
    }
    if (jail != null) {
      allowances.removeIf(allowance -> !allowance.covers(jail));
    }
    Render render = new Render(context.clock.getZone(), state.call(EngineView::now));
    if (format.equals("json")) {
      context.out.print(Render.pretty(render.allowances(allowances)));
      return ExitCode.OK;
    }
    if (allowances.isEmpty()) {
      context.out.println("no allowances" + (jail == null ? "" : " for " + jail));
      return ExitCode.OK;
    }
    context.out.printf("%-40s %-16s %-18s %s%n", "NETWORK", "JAIL", "EXPIRES", "SOURCE");
    for (Allowance allowance : allowances) {
      context.out.printf("%-40s %-16s %-18s %s%n", allowance.network(), allowance.scope(),
          render.left(allowance.expires()), Render.origin(allowance));
    }
    return ExitCode.OK;
  }
}
