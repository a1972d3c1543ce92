package dev.vouch.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;

/**
 * The root command: global options and the list of subcommands. Its help and version options
 * are inherited, so that {@code --help} works on every command.
 */
@Command(name = "vouch",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Success-driven allowlisting: a successful login vouches for its address, so that"
        + " failure jails never ban it.",
    footer = {"%nExit status: 0 done (or yes), 1 no (or a failure), 2 usage or configuration"
        + " error, 3 the daemon or fail2ban could not be reached.",
        "%nExamples:",
        "  bin/vouch run -c examples/quickstart --replay",
        "  vouch allow add 198.51.100.4 --jail sshd --ttl 1d",
        "  vouch explain 203.0.113.7",
        "  vouch allow add --help"})
final class VouchCommand {
  /**
   * The subcommands, in the order help lists them. Added by {@link Main#commandLine}, not by the
   * annotation: a command line builds the model of the one it runs only.
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      RunCommand.class,
      AllowCommand.class,
      BanCommand.class,
      UnbanCommand.class,
      StatusCommand.class,
      ExplainCommand.class,
      Fail2banCommand.class,
      CheckConfigCommand.class,
      TestFilterCommand.class);

  @Mixin
  GlobalOptions globals;
}
