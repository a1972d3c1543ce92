package dev.vouch.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
      "run", RunCommand.class,
      "allow", AllowCommand.class,
      "ban", BanCommand.class,
      "unban", UnbanCommand.class,
      "status", StatusCommand.class,
      "explain", ExplainCommand.class,
      "fail2ban", Fail2banCommand.class,
      "check-config", CheckConfigCommand.class,
      "test-filter", TestFilterCommand.class);

  /**
   * Names with their commands, in order. The names are written out here as well as in each
   * command's annotation so that finding the command a line names reads no annotation (a cold
   * read of one costs a millisecond or two); {@code MainTest} checks that the two agree.
   */
  private static Map<String, Class<?>> subcommands(Object... pairs) {
    Map<String, Class<?>> commands = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      commands.put((String) pairs[i], (Class<?>) pairs[i + 1]);
    }
    return Collections.unmodifiableMap(commands);
  }

  @Mixin
  GlobalOptions globals;
}
