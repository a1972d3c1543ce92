package dev.vouch.fail2ban;

import java.util.List;
import java.util.Objects;

/**
 * One line of fail2ban's status: a label and its value, which is a text, a count, a list of items
 * or a nested section ({@code Filter} and {@code Actions} in a jail's status).
 */
public record StatusEntry(String label, Value value) {

  public StatusEntry {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(value, "value");
  }

  /** The value of a status line. */
  public sealed interface Value permits Text, Count, Items, Section {}

  /** A text value, e.g. {@code Jail list: sshd, postfix}. */
  public record Text(String text) implements Value {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /** A number, e.g. {@code Currently banned: 2}. */
  public record Count(long count) implements Value {}

  /** A list, e.g. {@code Banned IP list}; fail2ban-client joins it with spaces. */
  public record Items(List<String> items) implements Value {
    public Items {
      items = List.copyOf(items);
    }
  }

  /** A nested section of entries. */
  public record Section(List<StatusEntry> entries) implements Value {
    public Section {
      entries = List.copyOf(entries);
    }
  }
}
