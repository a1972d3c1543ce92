package dev.vouch.filter;

import dev.vouch.VouchException;

/** A regex that neither engine can compile, with the position of the problem. */
public final class RegexSyntaxException extends VouchException {
  private final String pattern;
  private final int position;

  RegexSyntaxException(String reason, String pattern, int position) {
    super(reason + " at position " + position + " of " + pattern);
    this.pattern = pattern;
    this.position = position;
  }

  public String pattern() {
    return pattern;
  }

  public int position() {
    return position;
  }
}
