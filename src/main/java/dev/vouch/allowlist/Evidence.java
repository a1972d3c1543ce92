package dev.vouch.allowlist;

import java.util.Optional;

/**
 * Why an allowance exists: the allow jail and filter that saw the login, the user, the log line,
 * or an admin's note. Every part is optional.
 */
public record Evidence(Optional<String> jail, Optional<String> filter, Optional<String> user,
    Optional<String> line, Optional<String> note) {
  public static final Evidence NONE = new Evidence(Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty());

  public static Evidence note(String note) {
    return new Evidence(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.ofNullable(note).filter(text -> !text.isBlank()));
  }

  public static Evidence login(String jail, String filter, Optional<String> user, String line) {
    return new Evidence(Optional.of(jail), Optional.of(filter), user, Optional.of(line),
        Optional.empty());
  }
}
