package dev.vouch.cli;

import dev.vouch.config.VouchConf;
import dev.vouch.fail2ban.Fail2banClient;
import dev.vouch.fail2ban.Fail2banSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vouch fail2ban ping}: exit 0 and "pong" when fail2ban answers, 3 when not. */
@Command(name = "ping", description = "Does fail2ban answer on its socket? Exit 0, or 3.",
    footer = {"%nExamples:", "  vouch fail2ban ping",
        "  vouch fail2ban ping -c /etc/vouch"})
final class Fail2banPingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  private final CliContext context;

  Fail2banPingCommand(CliContext context) {
    this.context = context;
  }

  static Fail2banClient client(CommandSpec spec, CliContext context) {
    VouchConf conf = ConfigLoader.settings(((VouchCommand) spec.root().userObject()).globals,
        context.install);
    return new Fail2banClient(Fail2banSettings.of(conf.fail2ban().socket())
        .withConnectTimeout(conf.fail2ban().timeout()).withReadTimeout(conf.fail2ban().timeout()));
  }

  @Override
  public Integer call() {
    try (Fail2banClient client = client(spec, context)) {
      client.ping();
      context.out.println("pong (fail2ban " + client.version() + " on " + client.socket() + ")");
    }
    return ExitCode.OK;
  }
}
