package dev.vouch.fail2ban;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * fail2ban's answer to {@code status} or {@code status JAIL}: an ordered tree of labelled values,
 * printed by {@link #format()} as {@code fail2ban-client status} prints it.
 *
 * @param title {@code Status}, or {@code Status for the jail: NAME}
 */
public record Fail2banStatus(String title, List<StatusEntry> entries) {

  public Fail2banStatus {
    Objects.requireNonNull(title, "title");
    entries = List.copyOf(entries);
  }

  /** The top-level entry with this label. */
  public Optional<StatusEntry> entry(String label) {
    return find(entries, label);
  }

  /** The value at a path of labels, e.g. {@code value("Actions", "Currently banned")}. */
  public Optional<StatusEntry.Value> value(String... path) {
    List<StatusEntry> level = entries;
    StatusEntry found = null;
    for (String label : path) {
      if (found != null) {
        if (!(found.value() instanceof StatusEntry.Section section)) {
          return Optional.empty();
        }
        level = section.entries();
      }
      found = find(level, label).orElse(null);
      if (found == null) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(found).map(StatusEntry::value);
  }

  /** The text {@code fail2ban-client status} prints for the same answer, without a newline. */
  public String format() {
    StringBuilder out = new StringBuilder(title);
    format(entries, "", out);
    return out.toString();
  }

  private static void format(List<StatusEntry> entries, String indent, StringBuilder out) {
    for (int i = 0; i < entries.size(); i++) {
      boolean last = i == entries.size() - 1;
      StatusEntry entry = entries.get(i);
      out.append('\n').append(indent).append(last ? "`- " : "|- ").append(entry.label());
      if (entry.value() instanceof StatusEntry.Section section) {
        format(section.entries(), indent + (last ? "   " : "|  "), out);
      } else {
        out.append(":\t").append(text(entry.value()));
      }
    }
  }

  private static String text(StatusEntry.Value value) {
    if (value instanceof StatusEntry.Text text) {
      return text.text();
    }
    if (value instanceof StatusEntry.Count count) {
      return Long.toString(count.count());
    }
    return String.join(" ", ((StatusEntry.Items) value).items());
  }

  private static Optional<StatusEntry> find(List<StatusEntry> entries, String label) {
    return entries.stream().filter(entry -> entry.label().equals(label)).findFirst();
  }

  /**
   * The status tree of a reply value: a list of {@code (label, value)} tuples, where a value that
   * is itself such a list is a section.
   *
   * @throws Fail2banProtocolException when the value has another shape
   */
  static Fail2banStatus of(String title, Object reply) {
    List<StatusEntry> entries = entries(reply);
    if (entries == null) {
      throw new Fail2banProtocolException("fail2ban's status is not a list of (label, value)"
          + " pairs: " + PythonText.repr(reply));
    }
    return new Fail2banStatus(title, entries);
  }

  /** The entries of a list of (label, value) pairs, or null when {@code value} is not one. */
  private static List<StatusEntry> entries(Object value) {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      return null;
    }
    List<StatusEntry> entries = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof PyTuple pair) || pair.size() != 2
          || !(pair.get(0) instanceof String label)) {
        return null;
      }
      entries.add(new StatusEntry(label, value(pair.get(1))));
    }
    return entries;
  }

  private static StatusEntry.Value value(Object value) {
    List<StatusEntry> section = entries(value);
    if (section != null) {
      return new StatusEntry.Section(section);
    }
    if (value instanceof Long number) {
      return new StatusEntry.Count(number);
    }
    if (value instanceof BigInteger number) {
      return new StatusEntry.Text(number.toString());
    }
    if (value instanceof List<?> list) {
      return new StatusEntry.Items(list.stream().map(PythonText::str).toList());
    }
    return new StatusEntry.Text(PythonText.str(value));
  }
}
