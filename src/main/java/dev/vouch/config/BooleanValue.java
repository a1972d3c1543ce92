package dev.vouch.config;

import java.util.Locale;

/**
 * Booleans as fail2ban writes them: {@code true/false}, {@code yes/no}, {@code on/off},
 * {@code 1/0}.
 */
public final class BooleanValue {
  private BooleanValue() {}

  /**
   * fail2ban's {@code _as_bool}: true for {@code 1}, {@code on}, {@code true} or {@code yes} in any
   * case, false for anything else (so a typo silently reads as false, as it does in fail2ban).
   */
  public static boolean isTrue(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "1", "on", "true", "yes" -> true;
      default -> false;
    };
  }

  /**
   * A strict boolean for vouch's own keys: the words of {@link #isTrue} and their opposites
   * {@code 0}, {@code off}, {@code false}, {@code no}; anything else is an error.
   *
   * @throws ConfigException for any other text
   */
  public static boolean parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "1", "on", "true", "yes" -> true;
      case "0", "off", "false", "no" -> false;
      default -> throw new ConfigException(
          "expected true or false (or yes/no, on/off, 1/0). Found: " + text);
    };
  }
}
