package dev.vouch.cli;

import dev.vouch.VouchException;
import dev.vouch.config.ConfigException;
import dev.vouch.control.DaemonUnreachableException;
import dev.vouch.fail2ban.Fail2banUnreachableException;
import dev.vouch.filter.Filter;
import dev.vouch.filter.FilterException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/**
 * Entry point: parses the command line, runs the command and returns its exit code
 * ({@link ExitCode}). Errors are printed as {@code vouch: MESSAGE}; a stack trace only for a bug.
 */
public final class Main {
  private final CliContext context;

  public Main(PrintWriter out, PrintWriter err) {
    this(new CliContext(out, err, System.in, Clock.systemDefaultZone(),
        CliContext.defaultInstall(), Optional.empty()));
  }

  Main(CliContext context) {
    this.context = context;
  }

  /**
   * Runs a command line as typed: straight to the daemon when it is a command the daemon answers
   * and one runs ({@link Forwarder}), else here.
   */
  public int run(String... args) {
    if (context.state.isEmpty()) {
      Optional<Integer> forwarded = Forwarder.forward(List.of(args), context.out, context.err,
          context.install);
      if (forwarded.isPresent()) {
        return forwarded.get();
      }
    }
    return execute(args);
  }

  /** Parses and runs a command line in this process (a state command may still forward). */
  int execute(String... args) {
    CommandLine commandLine = commandLine(context, args);
    commandLine.setOut(context.out);
    commandLine.setErr(context.err);
    commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
      int code = exitCode(exception);
      if (code < 0) {
        throw exception;
      }
      context.err.println("vouch: " + exception.getMessage());
      return code;
    });
    int code = commandLine.execute(args);
    context.out.flush();
    context.err.flush();
    return code;
  }

  /** The exit code for an error a command raised, or -1 for a bug (shown with its trace). */
  static int exitCode(Exception exception) {
    if (exception instanceof ConfigException || exception instanceof FilterException
        || exception instanceof dev.vouch.jail.UnknownJailException
        || exception instanceof UsageException) {
      return ExitCode.USAGE;
    }
    if (exception instanceof DaemonUnreachableException
        || exception instanceof Fail2banUnreachableException) {
      return ExitCode.UNREACHABLE;
    }
    if (exception instanceof VouchException) {
      return ExitCode.NEGATIVE;
    }
    return -1;
  }

  /** The command line's model, its commands built with {@code context}. */
  static CommandLine commandLine(CliContext context) {
    return commandLine(context, new String[0]);
  }

  /**
   * The model for running {@code args}: with only the subcommand they name, where they name one
   * plainly (picocli reads the annotations of every command it adds, a tenth of a second for
   * all of them at a cold start), else with all, for help and for the error that names them.
   */
  static CommandLine commandLine(CliContext context, String... args) {
    String named = commandName(args);
    Class<?> only = named == null ? null : VouchCommand.SUBCOMMANDS.get(named);
    CommandLine root = new CommandLine(new VouchCommand(), new Factory(context));
    for (Class<?> type : VouchCommand.SUBCOMMANDS.values()) {
      if (only == null || type == only) {
        root.addSubcommand(type);
      }
    }
    return root;
  }

  /** Builds commands with the context in their constructor when they take one. */
  private static final class Factory implements CommandLine.IFactory {
    private final CliContext context;

    Factory(CliContext context) {
      this.context = context;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      try {
        Constructor<K> constructor = type.getDeclaredConstructor(CliContext.class);
        constructor.setAccessible(true);
        return constructor.newInstance(context);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }

  /** The command a line names plainly (after the global options), or null. */
  private static String commandName(String[] args) {
    List<String> rest = new ArrayList<>();
    return Forwarder.split(List.of(args), new GlobalOptions(), rest) && !rest.isEmpty()
        ? rest.get(0) : null;
  }

  /** The commands that compile filters. */
  private static final Set<String> FILTERING = Set.of("run", "test-filter", "check-config");

  /**
   * Starts a thread that gets ready, while this one parses the command line, what the command
   * it names will need: picocli reads its annotations ({@link #readAnnotations}), and a command
   * that compiles filters builds what they share ({@link Filter#prepare}). A one-line
   * test-filter starts about 25 ms sooner (measured alternating with the build before). The
   * work is only wasted where the command turns out to need something else.
   */
  static void prepare(String[] args) {
    String named = commandName(args);
    Class<?> command = named == null ? null : VouchCommand.SUBCOMMANDS.get(named);
    if (command == null) {
      return;
    }
    Thread thread = new Thread(new Prepare(command, FILTERING.contains(named)), "prepare");
    thread.setDaemon(true);
    thread.start();
  }

  /** The work of {@link #prepare}; a class rather than a lambda, whose linking is slower. */
  private static final class Prepare implements Runnable {
    private final Class<?> command;
    private final boolean filtering;

    Prepare(Class<?> command, boolean filtering) {
      this.command = command;
      this.filtering = filtering;
    }

    @Override
    public void run() {
      readAnnotations(command);
      if (filtering) {
        Filter.prepare(Year.now());
      }
    }
  }

  /**
   * Reads the annotations of a command, its members and its subcommands, as picocli is about to:
   * the JDK keeps what it parsed, and the classes it made for each annotation type, so picocli
   * finds them ready.
   */
  private static void readAnnotations(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      c.getAnnotations();
      for (Field field : c.getDeclaredFields()) {
        field.getAnnotations();
      }
      for (Method method : c.getDeclaredMethods()) {
        method.getAnnotations();
      }
    }
    CommandLine.Command command = type.getAnnotation(CommandLine.Command.class);
    if (command != null) {
      for (Class<?> subcommand : command.subcommands()) {
        readAnnotations(subcommand);
      }
    }
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    // Tried first, before anything else is set up: a forwarded command's start is most of its
    // time (see bench/cli-bench).
    Optional<Integer> forwarded = Forwarder.forward(List.of(args), out, err,
        CliContext.defaultInstall());
    int code;
    if (forwarded.isPresent()) {
      code = forwarded.get();
    } else {
      prepare(args);
      // Commands log warnings only; vouch run sets the daemon's own log from vouch.conf.
      dev.vouch.daemon.Logging.configure("STDERR", "WARNING", java.time.ZoneId.systemDefault());
      code = new Main(out, err).execute(args);
    }
    out.flush();
    err.flush();
    System.exit(code);
  }
}
