package dev.vouch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The root command: global options and the list of subcommands. */
@Command(name = "vouch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Success-driven allowlisting: a successful login vouches for its address, so that"
        + " failure jails never ban it.",
    subcommands = {
        RunCommand.class,
        AllowCommand.class,
        BanCommand.class,
        UnbanCommand.class,
        StatusCommand.class,
        ExplainCommand.class,
        Fail2banCommand.class,
        CheckConfigCommand.class,
        TestFilterCommand.class,
    })
final class VouchCommand {
  @Mixin
  GlobalOptions globals;
}
