package dev.vouch.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * What a journal reader asks {@code journalctl} for: which journal (the machine's, or the
 * directory, files or namespace that fail2ban's {@code backend = systemd[journalpath=...,
 * journalfiles=..., journalflags=..., namespace=...]} choose) and which entries (the filter's
 * {@code journalmatch}: groups of {@code FIELD=value} terms, OR between groups, as
 * {@code filtersystemd.py} adds them with {@code add_match} and {@code add_disjunction}).
 *
 * @param groups the match groups: the terms of a group must all hold (two terms of the same
 *     field: either), and an entry is read when any group holds; empty reads every entry
 * @param directory {@code journalpath}: a directory of journal files
 * @param files {@code journalfiles}: journal files or glob patterns (journalctl expands them)
 * @param flags {@code journalflags}, the {@code sd_journal_open} flags; fail2ban's default 4
 *     (system journals only) when neither a path nor files are given
 * @param namespace {@code namespace}: a journald namespace
 * @param journalctl the program to run, {@code journalctl} on the PATH unless the backend sets
 *     {@code journalctl=PATH} (vouch's own option)
 */
public record JournalQuery(List<List<String>> groups, Optional<String> directory,
    List<String> files, OptionalInt flags, Optional<String> namespace, String journalctl) {
  /** fail2ban's default {@code journalflags} ({@code SD_JOURNAL_SYSTEM}). */
  static final int SYSTEM_ONLY = 4;
  private static final int LOCAL_ONLY = 1;
  private static final int CURRENT_USER = 8;
  /** A journal field name as {@code sd_journal_add_match} accepts it. */
  private static final Pattern FIELD = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
  private static final List<String> OPTIONS =
      List.of("journalpath", "journalfiles", "journalflags", "namespace", "journalctl");

  public JournalQuery {
    groups = groups.stream().map(List::copyOf).toList();
    files = List.copyOf(files);
    for (List<String> group : groups) {
      if (group.isEmpty()) {
        throw new IllegalArgumentException("a journalmatch group is empty: write FIELD=value"
            + " terms on both sides of +");
      }
      group.forEach(JournalQuery::checkTerm);
    }
    if (flags.isPresent()
        && (flags.getAsInt() & ~(LOCAL_ONLY | SYSTEM_ONLY | CURRENT_USER)) != 0) {
      throw new IllegalArgumentException("journalflags: journalctl can select 1 (this machine's"
          + " journals), 4 (system) and 8 (current user), or a sum of them. Found: "
          + flags.getAsInt());
    }
  }

  /**
   * Reads a jail's {@code journalmatch} lines and its backend options.
   *
   * @param journalmatch one expression per line, split as the shell would ({@code shlex}), with
   *     {@code +} between groups; the groups of all lines are alternatives
   * @param backendOptions the {@code [key=value]} of {@code backend = systemd[...]}
   * @throws IllegalArgumentException saying what is wrong and what is expected
   */
  public static JournalQuery of(List<String> journalmatch, Map<String, String> backendOptions) {
    // fail2ban's addJournalMatch: a "+" starts a new group; an empty group adds nothing.
    List<List<String>> groups = new ArrayList<>();
    for (String expression : journalmatch) {
      List<String> group = new ArrayList<>();
      for (String word : ShellWords.split(expression)) {
        if (!word.equals("+")) {
          group.add(word);
        } else if (!group.isEmpty()) {
          groups.add(group);
          group = new ArrayList<>();
        }
      }
      if (!group.isEmpty()) {
        groups.add(group);
      }
    }
    for (String key : backendOptions.keySet()) {
      if (!OPTIONS.contains(key)) {
        throw new IllegalArgumentException("backend systemd has no option " + key
            + ". Expected one of " + String.join(", ", OPTIONS));
      }
    }
    Optional<String> directory = nonBlank(backendOptions.get("journalpath"));
    List<String> files = nonBlank(backendOptions.get("journalfiles"))
        .map(text -> List.of(text.split("[\\s,]+"))).orElse(List.of());
    OptionalInt flags = OptionalInt.empty();
    Optional<String> flagText = nonBlank(backendOptions.get("journalflags"));
    if (flagText.isPresent()) {
      try {
        flags = OptionalInt.of(Integer.parseInt(flagText.get()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("journalflags: expected a number such as 4 (system"
            + " journals) or 1 (this machine's only). Found: " + flagText.get());
      }
    } else if (directory.isEmpty() && files.isEmpty()) {
      flags = OptionalInt.of(SYSTEM_ONLY);
    }
    return new JournalQuery(groups, directory, files, flags,
        nonBlank(backendOptions.get("namespace")),
        nonBlank(backendOptions.get("journalctl")).orElse("journalctl"));
  }

  /** A term is {@code FIELD=value} (journalctl's other forms, paths and {@code -b}, are not). */
  private static void checkTerm(String term) {
    int equals = term.indexOf('=');
    if (equals < 0 || !FIELD.matcher(term.substring(0, equals)).matches()) {
      throw new IllegalArgumentException("journalmatch: expected FIELD=value terms such as"
          + " _SYSTEMD_UNIT=sshd.service, with + between alternatives. Found: " + term);
    }
  }

  /**
   * The arguments that select this query's journal and entries, for a command line after the
   * program name: the journal options, then {@code --} and the matches, so that no match can
   * be read as an option.
   */
  List<String> selection() {
    List<String> arguments = new ArrayList<>();
    directory.ifPresent(path -> arguments.add("--directory=" + path));
    files.forEach(file -> arguments.add("--file=" + file));
    namespace.ifPresent(name -> arguments.add("--namespace=" + name));
    boolean localOnly = flags.isPresent() && (flags.getAsInt() & LOCAL_ONLY) != 0;
    // --merge: sd_journal_open without SD_JOURNAL_LOCAL_ONLY, as fail2ban's default 4, also
    // reads other machines' journals. It also keeps journalctl --follow from reading the latest
    // boot only (which it otherwise implies), and does nothing else to --directory and --file.
    if (!localOnly || directory.isPresent() || !files.isEmpty()) {
      arguments.add("--merge");
    }
    if (flags.isPresent()) {
      int value = flags.getAsInt();
      if ((value & SYSTEM_ONLY) != 0) {
        arguments.add("--system");
      }
      if ((value & CURRENT_USER) != 0) {
        arguments.add("--user");
      }
    }
    arguments.add("--");
    for (int i = 0; i < groups.size(); i++) {
      if (i > 0) {
        arguments.add("+");
      }
      arguments.addAll(groups.get(i));
    }
    return arguments;
  }

  /** The matches as fail2ban's status shows them: {@code A B + C}; empty for every entry. */
  public String matchText() {
    List<String> parts = new ArrayList<>();
    for (List<String> group : groups) {
      parts.add(String.join(" ", group));
    }
    return String.join(" + ", parts);
  }

  /**
   * A stable name for this query, under which its read position (the journal cursor) is saved:
   * {@code journal:MATCHES}, or {@code journal[journalpath=DIR]:MATCHES} for another journal.
   * The program that reads it is not part of it.
   */
  public String key() {
    List<String> options = new ArrayList<>();
    directory.ifPresent(path -> options.add("journalpath=" + path));
    if (!files.isEmpty()) {
      options.add("journalfiles=" + String.join(" ", files));
    }
    boolean defaultFlags = directory.isEmpty() && files.isEmpty()
        && flags.equals(OptionalInt.of(SYSTEM_ONLY));
    if (flags.isPresent() && !defaultFlags) {
      options.add("journalflags=" + flags.getAsInt());
    }
    namespace.ifPresent(name -> options.add("namespace=" + name));
    return "journal" + (options.isEmpty() ? "" : "[" + String.join(", ", options) + "]") + ":"
        + matchText();
  }

  private static Optional<String> nonBlank(String text) {
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.strip());
  }
}
