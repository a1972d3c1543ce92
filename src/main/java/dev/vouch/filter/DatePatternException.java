package dev.vouch.filter;

import dev.vouch.VouchException;

/** A datepattern (or logtimezone) that fail2ban 1.0.2 would refuse, or could not use on a line. */
public final class DatePatternException extends VouchException {
  private final String pattern;

  DatePatternException(String pattern, String reason) {
    super("datepattern '" + pattern + "': " + reason);
    this.pattern = pattern;
  }

  DatePatternException(String pattern, String reason, Throwable cause) {
    super("datepattern '" + pattern + "': " + reason, cause);
    this.pattern = pattern;
  }

  /** The datepattern line at fault. */
  public String pattern() {
    return pattern;
  }
}
