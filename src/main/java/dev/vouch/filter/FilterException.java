package dev.vouch.filter;

import dev.vouch.VouchException;

/** A filter that cannot be built: a regex that does not compile, a missing failure-id group. */
public final class FilterException extends VouchException {
  public FilterException(String message) {
    super(message);
  }
}
