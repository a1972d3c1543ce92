package dev.vouch.filter;

/** One match of a {@link CompiledRegex}: its span and its groups, by Python's group numbers. */
interface RegexMatch {
  int start();

  int end();

  /** The text of group {@code group}, or null when it did not participate. */
  String group(int group);

  /** Start of group {@code group}, or -1 when it did not participate. */
  int start(int group);

  int end(int group);
}
