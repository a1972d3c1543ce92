package dev.vouch.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point: parses the command line, runs the command and returns its exit code. */
public final class Main {
  private final PrintWriter out;
  private final PrintWriter err;

  public Main(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  public int run(String... args) {
    CommandLine commandLine = new CommandLine(new VouchCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine.execute(args);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = new Main(out, err).run(args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
