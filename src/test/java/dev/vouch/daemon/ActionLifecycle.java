package dev.vouch.daemon;

import dev.vouch.action.ActionTicket;
import dev.vouch.action.ActionWorker;
import dev.vouch.config.JailConfig;
import dev.vouch.config.JailDefinition;
import dev.vouch.config.JailsReader;
import dev.vouch.config.VouchConf;
import dev.vouch.net.Cidr;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Drives the action worker of a config directory's only enabled jail, as vouch run builds it
 * ({@link JailWiring#worker}), by commands on standard input: {@code ban ADDR}, {@code unban
 * ADDR}, {@code stop}. After each, when the worker has run what it was asked, it prints
 * {@code done COMMAND}; it prints {@code ready} once the jail has started. The firewall tests run
 * it in a child JVM inside a network namespace ({@code ip netns exec NS java ...}), so that the
 * commands of the action change that namespace's rules and nothing else.
 *
 * <p>Usage: {@code ActionLifecycle CONFIG_DIR INSTALL_DIR}
 */
final class ActionLifecycle {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private ActionLifecycle() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    ZoneId zone = ZoneId.systemDefault();
    Logging.configure("STDERR", "DEBUG", zone);
    VouchConf conf = VouchConf.read(Path.of(args[0]), Path.of(args[1]));
    List<JailConfig> jails = new JailsReader(conf.configDir(), conf.filterSearchPath(),
        conf.actionSearchPath()).read().stream().filter(JailDefinition::enabled)
        .map(JailConfig::of).toList();
    if (jails.size() != 1) {
      throw new IllegalArgumentException("expected one enabled jail in " + args[0]
          + ". Found: " + jails.size());
    }
    JailConfig jail = jails.get(0);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ActionWorker worker = JailWiring.worker(jail, zone);
    worker.start();
    worker.drain(LIMIT);
    out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] command = line.strip().split(" ");
      switch (command[0]) {
        case "ban" -> worker.ban(ticket(jail, command[1]));
        case "unban" -> worker.unban(ticket(jail, command[1]));
        case "stop" -> {
          worker.stop(LIMIT);
          out.println("done " + line);
          return;
        }
        default -> throw new IllegalArgumentException("unknown command: " + line);
      }
      worker.drain(LIMIT);
      out.println("done " + line);
    }
  }

  private static ActionTicket ticket(JailConfig jail, String address) {
    double now = System.currentTimeMillis() / 1000.0;
    return new ActionTicket(jail.name(), Cidr.parse(address), now,
        Math.round(jail.bantime().seconds()), 1, jail.maxretry(), List.of(), Map.of(), false);
  }
}
