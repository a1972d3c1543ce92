package dev.vouch.config;

import java.util.Objects;

/**
 * A config value after interpolation, with the place where it was written: for an option the line
 * of its key, for one line of a multi-line regex list the line of that regex.
 */
public record Value(String text, Origin origin) {

  public Value {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(origin, "origin");
  }

  /** fail2ban's reading of a boolean: {@code 1}, {@code on}, {@code true} or {@code yes}. */
  public boolean isTrue() {
    return BooleanValue.isTrue(text);
  }

  /**
   * A boolean that must be written as one: for vouch's own keys.
   *
   * @throws ConfigException naming this value's origin and {@code key}
   */
  public boolean toBoolean(String key) {
    try {
      return BooleanValue.parse(text);
    } catch (ConfigException e) {
      throw new ConfigException(origin, key + ": " + e.getMessage());
    }
  }

  /**
   * A whole number, as fail2ban reads {@code maxretry} or {@code maxlines}.
   *
   * @throws ConfigException naming this value's origin and {@code key}
   */
  public int toInt(String key) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(origin, key + ": expected a whole number. Found: " + text);
    }
  }

  /**
   * A duration in fail2ban's notation ({@code 10m}, {@code 1h 30m}, {@code -1}).
   *
   * @throws ConfigException naming this value's origin and {@code key}
   */
  public TimeValue toTime(String key) {
    try {
      return TimeValue.parse(text);
    } catch (ConfigException e) {
      throw new ConfigException(origin, key + ": " + e.getMessage());
    }
  }
}
