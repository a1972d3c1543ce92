package dev.vouch.cli;

import dev.vouch.config.VouchConf;
import dev.vouch.control.ControlClient;
import dev.vouch.control.ControlRequest;
import dev.vouch.control.ControlResponse;
import dev.vouch.control.DaemonUnreachableException;
import dev.vouch.daemon.OfflineState;
import dev.vouch.daemon.StateAccess;
import dev.vouch.store.DatabaseLockedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that reads or changes state. Run on the command line, it sends itself to the daemon
 * over the control socket and prints the answer; when no daemon answers, it opens the database
 * and runs itself there. Inside the daemon it runs on the live engine. The same code produces
 * the answer in every case.
 */
@Command
abstract class StateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  final CliContext context;

  StateCommand(CliContext context) {
    this.context = context;
  }

  /** Does the work on {@code state}; returns the exit code. */
  abstract int run(StateAccess state) throws IOException;

  @Override
  public final Integer call() throws IOException {
    if (context.state.isPresent()) {
      return run(context.state.get());
    }
    GlobalOptions globals = ((VouchCommand) spec.root().userObject()).globals;
    VouchConf conf = ConfigLoader.settings(globals, context.install);
    ControlResponse response;
    try {
      response = ControlClient.call(conf.socket(), request(), Forwarder.TIMEOUT);
    } catch (DaemonUnreachableException notRunning) {
      return runOffline(conf);
    }
    deliver(response);
    return response.exit();
  }

  private int runOffline(VouchConf conf) throws IOException {
    OfflineState state;
    try {
      state = OfflineState.open(conf, ConfigLoader.jails(conf), context.clock);
    } catch (DatabaseLockedException locked) {
      try {
        // A daemon that was starting may answer by now.
        ControlResponse response = ControlClient.call(conf.socket(), request(), Forwarder.TIMEOUT);
        deliver(response);
        return response.exit();
      } catch (DaemonUnreachableException stillNot) {
        throw new DaemonUnreachableException("the database " + conf.dbfile() + " is in use by"
            + " another process, and no vouch daemon answers on " + conf.socket() + " ("
            + stillNot.getMessage() + "). If a vouch daemon runs, it may be stuck: look at its"
            + " log, or restart it (systemctl restart vouch); give --socket if it listens"
            + " elsewhere.", locked);
      }
    }
    try (state) {
      return run(state);
    }
  }

  /** The request for the daemon: this command line, after the global options. */
  ControlRequest request() throws IOException {
    return new ControlRequest(forwardedArgs(), Optional.empty());
  }

  /** Prints the daemon's answer (an export to a file writes it here instead). */
  void deliver(ControlResponse response) throws IOException {
    context.out.print(response.out());
    context.err.print(response.err());
  }

  /** The arguments as typed, without -c/--db/--socket (the daemon uses its own). */
  List<String> forwardedArgs() {
    List<String> args = new ArrayList<>();
    Forwarder.split(spec.root().commandLine().getParseResult().originalArgs(),
        new GlobalOptions(), args);
    return args;
  }
}
