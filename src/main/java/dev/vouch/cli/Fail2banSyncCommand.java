package dev.vouch.cli;

import dev.vouch.daemon.StateAccess;
import dev.vouch.fail2ban.Reconciler;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code vouch fail2ban sync}: push the allowlist into fail2ban now. */
@Command(name = "sync",
    description = {"Make fail2ban's ignore lists equal to the allowlist now: add what is"
        + " missing, remove what vouch added and no longer allows (never fail2ban's own"
        + " entries), lift fail2ban's bans of allowed addresses."},
    footer = {"%nExamples:", "  vouch fail2ban sync",
        "  vouch fail2ban sync && vouch fail2ban status sshd"})
final class Fail2banSyncCommand extends StateCommand {
  Fail2banSyncCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    List<Reconciler.JailReport> reports = state.syncFail2ban();
    for (Reconciler.JailReport report : reports) {
      context.out.printf("%s: %d added, %d removed, %d unbanned%n", report.jail(),
          report.added().size(), report.removed().size(), report.unbanned().size());
    }
    if (reports.isEmpty()) {
      context.out.println("fail2ban has no jails");
    }
    return ExitCode.OK;
  }
}
