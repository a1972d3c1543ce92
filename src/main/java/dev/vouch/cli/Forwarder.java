package dev.vouch.cli;

import dev.vouch.config.ConfigException;
import dev.vouch.config.VouchConf;
import dev.vouch.control.ControlClient;
import dev.vouch.control.ControlException;
import dev.vouch.control.ControlRequest;
import dev.vouch.control.ControlResponse;
import dev.vouch.control.DaemonUnreachableException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The short way to the daemon for the commands whose request is their own arguments: it sends
 * them over the control socket without building the command line's model, which costs a start
 * most of its time (picocli reads every command's annotations, and its classes are too old for
 * class-data sharing). It loads no database, filter or regex-engine class. The daemon parses and
 * runs the command exactly as {@link StateCommand} would have sent it, so the answer is the same;
 * when no daemon answers, or the arguments are anything but plain (help, {@code --}), it declines
 * and the command runs the long way.
 */
final class Forwarder {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * The commands that go the short way: {@link StateCommand}s that send their arguments as typed
   * (a test checks this list against the command tree).
   */
  static final Set<List<String>> COMMANDS = Set.of(
      List.of("allow", "add"), List.of("allow", "remove"), List.of("allow", "list"),
      List.of("allow", "check"), List.of("allow", "prune"), List.of("ban"), List.of("unban"),
      List.of("status"), List.of("explain"), List.of("fail2ban", "sync"));

  private static final Set<String> DECLINE = Set.of("-h", "--help", "-V", "--version", "--");

  private Forwarder() {}

  /**
   * Sends {@code args} to the daemon when they are one of {@link #COMMANDS} and it answers;
   * prints the answer and returns its exit code. Empty when the command must run here.
   */
  static Optional<Integer> forward(List<String> args, PrintWriter out, PrintWriter err,
      Path install) {
    GlobalOptions globals = new GlobalOptions();
    List<String> command = new ArrayList<>();
    boolean unambiguous = split(args, globals, command);
    if (!unambiguous || !COMMANDS.contains(path(command)) || !plain(command)) {
      return Optional.empty();
    }
    VouchConf conf;
    try {
      conf = ConfigLoader.settings(globals, install);
    } catch (ConfigException e) {
      return Optional.empty(); // the long way reports it, as every command does
    }
    ControlResponse response;
    try {
      response = ControlClient.call(conf.socket(), new ControlRequest(command, Optional.empty()),
          TIMEOUT);
    } catch (DaemonUnreachableException unreachable) {
      return Optional.empty();
    } catch (ControlException refused) {
      err.println("vouch: " + refused.getMessage());
      return Optional.of(Main.exitCode(refused));
    }
    out.print(response.out());
    err.print(response.err());
    out.flush();
    err.flush();
    return Optional.of(response.exit());
  }

  /**
   * Splits the arguments into the global options (into {@code globals}) and the rest, in order,
   * as picocli reads them (a global option may come before or after the command's name). False
   * when a global option follows another option, which may have taken it as its value
   * ({@code --note -c}): only picocli can tell, so such a command goes the long way.
   */
  static boolean split(List<String> args, GlobalOptions globals, List<String> rest) {
    boolean unambiguous = true;
    boolean afterOption = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      boolean option = arg.startsWith("-") && arg.length() > 1 && !arg.contains("=");
      String value;
      if (arg.equals("-c") || arg.equals("--conf") || arg.equals("--db")
          || arg.equals("--socket")) {
        unambiguous &= !afterOption;
        afterOption = false;
        if (++i == args.size()) {
          return false; // picocli says what is missing
        }
        value = args.get(i);
      } else if (arg.startsWith("--conf=") || arg.startsWith("--db=")
          || arg.startsWith("--socket=")) {
        unambiguous &= !afterOption;
        afterOption = false;
        value = arg.substring(arg.indexOf('=') + 1);
        arg = arg.substring(0, arg.indexOf('='));
      } else if (arg.startsWith("-c") && !arg.startsWith("--")) {
        unambiguous &= !afterOption;
        afterOption = false;
        value = arg.substring(arg.startsWith("-c=") ? 3 : 2);
        arg = "-c";
      } else {
        rest.add(arg);
        afterOption = option;
        continue;
      }
      switch (arg) {
        case "-c", "--conf" -> globals.setConf(Path.of(value));
        case "--db" -> globals.setDb(Path.of(value));
        default -> globals.setSocket(Path.of(value));
      }
    }
    return unambiguous;
  }

  /** No help, version or end of options: those are for picocli to handle here. */
  private static boolean plain(List<String> command) {
    // A loop, not a stream: the first lambda of a process costs its start a few milliseconds.
    for (String arg : command) {
      if (DECLINE.contains(arg)) {
        return false;
      }
    }
    return true;
  }

  /** The command's name: one word, or two under {@code allow} and {@code fail2ban}. */
  private static List<String> path(List<String> command) {
    if (command.isEmpty()) {
      return List.of();
    }
    String first = command.get(0);
    if ((first.equals("allow") || first.equals("fail2ban")) && command.size() > 1) {
      return List.of(first, command.get(1));
    }
    return List.of(first);
  }
}
