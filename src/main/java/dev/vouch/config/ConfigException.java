package dev.vouch.config;

import dev.vouch.VouchException;
import java.util.Optional;

/**
 * A configuration that cannot be read: a syntax error, a missing reference, a value of the wrong
 * kind. The message starts with the {@code file:line} of the culprit when there is one and says
 * what was expected.
 */
public class ConfigException extends VouchException {
  private final transient Origin origin;

  public ConfigException(String message) {
    super(message);
    this.origin = null;
  }

  public ConfigException(Origin origin, String message) {
    super(origin + ": " + message);
    this.origin = origin;
  }

  public ConfigException(Origin origin, String message, Throwable cause) {
    super(origin + ": " + message, cause);
    this.origin = origin;
  }

  /** Where the error is, when it is in a file. */
  public Optional<Origin> origin() {
    return Optional.ofNullable(origin);
  }
}
