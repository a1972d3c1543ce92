package dev.vouch.cli;

/** The exit codes of DESIGN.md §9; other tools depend on them. */
public final class ExitCode {
  /** Done, or a positive answer. */
  public static final int OK = 0;
  /** A negative answer (not allowed, not banned) or a failure. */
  public static final int NEGATIVE = 1;
  /** Usage or configuration error. */
  public static final int USAGE = 2;
  /** The daemon or fail2ban could not be reached. */
  public static final int UNREACHABLE = 3;

  private ExitCode() {}
}
