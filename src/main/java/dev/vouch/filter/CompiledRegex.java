package dev.vouch.filter;

import java.util.Map;

/**
 * A regex in fail2ban's (Python's) dialect, compiled for the fastest engine that runs it:
 * vouch's backtracker under a small step budget with re2j (linear time in the input) behind it
 * when RE2 can express the regex, else the backtracker with a large step budget, so that one
 * hostile line costs at most a few milliseconds.
 *
 * <p>Immutable and thread-safe; each search allocates its own matcher.
 */
final class CompiledRegex {
  /** Which engine runs a regex. */
  enum Engine { RE2, BACKTRACKING }

  private final String source;
  private final RegexNode tree;
  private final Map<String, Integer> groupNames;
  private final int groupCount;
  private final RegexEngine engine;

  private CompiledRegex(String source, PythonRegexParser.Parsed parsed, RegexEngine engine) {
    this.source = source;
    this.tree = parsed.root();
    this.groupNames = parsed.groupNames();
    this.groupCount = parsed.groupCount();
    this.engine = engine;
  }

  /**
   * Compiles {@code pattern} (Python syntax) with Python flags ({@link PythonRegexParser#MULTILINE}
   * etc.).
   *
   * @throws RegexSyntaxException when Python would reject the pattern, or neither engine can run it
   */
  static CompiledRegex compile(String pattern, int flags) {
    PythonRegexParser.Parsed parsed = PythonRegexParser.parse(pattern, flags);
    return new CompiledRegex(pattern, parsed, RegexEngine.of(pattern, parsed));
  }

  /** The first match anywhere in {@code text} (Python's {@code re.search}), or null. */
  RegexMatch search(CharSequence text) {
    return engine.search(text);
  }

  /** Compiles the re2j form now, where there is one (re2j's is compiled on first use). */
  void compileLinear() {
    if (engine instanceof RegexEngine.Hybrid hybrid) {
      hybrid.re2().compileNow();
    }
  }

  Engine engine() {
    return engine.kind();
  }

  /** The pattern as the engine runs it. */
  String translated() {
    return engine.pattern();
  }

  /** The parsed pattern. */
  RegexNode tree() {
    return tree;
  }

  String source() {
    return source;
  }

  Map<String, Integer> groupNames() {
    return groupNames;
  }

  int groupCount() {
    return groupCount;
  }

  /** Python's number for group {@code name}, or -1. */
  int group(String name) {
    Integer index = groupNames.get(name);
    return index == null ? -1 : index;
  }

  @Override
  public String toString() {
    return source;
  }
}
