package dev.vouch.filter;

import java.lang.System.Logger.Level;

/**
 * One engine running one compiled pattern. Implementations are thread-safe: each thread reuses
 * its own matcher, and a match keeps its own copy of the group bounds, so it stays valid after
 * the next search.
 */
sealed interface RegexEngine {

  /**
   * A backtracking engine under a step budget: a search of its own that goes over budget is a
   * miss, logged once.
   */
  abstract sealed class Budgeted implements RegexEngine {
    /**
     * About a few milliseconds of backtracking on one line, and a little more on a long one: an
     * unanchored search takes a few steps at every position (a 64 KB line: 2 M steps; the
     * stock sshd filter's regexes on hostile 64 KB lines take 8 ms at the most).
     */
    static final int STEP_BUDGET = 1_000_000;
    static final int STEPS_PER_CHAR = 16;
    private static final System.Logger LOG = System.getLogger("vouch.filter");

    private final String source;
    private volatile boolean overBudgetLogged;

    Budgeted(String source) {
      this.source = source;
    }

    /** The pattern as written (Python's syntax). */
    String source() {
      return source;
    }

    /** Searches taking at most {@code budget} steps; else {@link BudgetedText.OverBudget}. */
    abstract RegexMatch searchWithin(CharSequence text, int budget);

    @Override
    public RegexMatch search(CharSequence text) {
      try {
        return searchWithin(text,
            (int) Math.min(Integer.MAX_VALUE, STEP_BUDGET + (long) STEPS_PER_CHAR * text.length()));
      } catch (BudgetedText.OverBudget e) {
        if (!overBudgetLogged) {
          overBudgetLogged = true;
          LOG.log(Level.WARNING, "regex over its step budget on a line of {0} chars; the line"
              + " counts as a miss (logged once per regex): {1}", text.length(), source);
        }
        return null;
      }
    }

    @Override
    public CompiledRegex.Engine kind() {
      return CompiledRegex.Engine.BACKTRACKING;
    }
  }

  /**
   * The engine for a parsed pattern. When RE2 can express it: a {@link Hybrid} of re2j and a
   * budgeted backtracking fast path; otherwise the backtracker alone under a large budget.
   */
  static RegexEngine of(String source, PythonRegexParser.Parsed parsed) {
    Budgeted backtracking = backtracking(source, parsed);
    if (!RegexPrinter.re2CanExpress(parsed.root())) {
      return backtracking; // lookaround, backreference, conditional and the like
    }
    return new Hybrid(new Re2(parsed), backtracking);
  }

  /**
   * vouch's backtracker where it takes the pattern (all but huge counted repeats and the like),
   * else java.util.regex; both under a step budget.
   */
  private static Budgeted backtracking(String source, PythonRegexParser.Parsed parsed) {
    boolean anchored = anchored(parsed.root());
    try {
      return new Backtrack(new Backtracker(
          BacktrackProgram.compile(parsed.root(), parsed.groupCount(), anchored)), source);
    } catch (BacktrackProgram.TooComplex e) {
      return java(source, parsed);
    }
  }

  private static Java java(String source, PythonRegexParser.Parsed parsed) {
    RegexPrinter.Printed printed;
    try {
      printed = RegexPrinter.print(parsed.root(), parsed.groupCount(), RegexPrinter.Dialect.JAVA);
    } catch (RegexPrinter.Unsupported e) {
      throw new IllegalStateException("the Java dialect prints every construct", e);
    }
    try {
      return new Java(java.util.regex.Pattern.compile(printed.pattern(),
          java.util.regex.Pattern.UNIX_LINES), printed, source, anchored(parsed.root()));
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new RegexSyntaxException("neither RE2 nor Java can run this regex ("
          + e.getDescription() + ")", source, 0);
    }
  }

  RegexMatch search(CharSequence text);

  /**
   * True when every match of {@code node} starts at the beginning of the text ({@code ^} without
   * MULTILINE, or {@code \A}, first in every branch): such a regex is tried at position 0 only,
   * where a search would try every position and fail at each but the first.
   */
  static boolean anchored(RegexNode node) {
    if (node instanceof RegexNode.Assertion assertion) {
      return assertion.kind() == RegexNode.Assertion.Kind.BEGIN_TEXT;
    }
    if (node instanceof RegexNode.Concat concat) {
      return !concat.items().isEmpty() && anchored(concat.items().get(0));
    }
    if (node instanceof RegexNode.Group group) {
      return anchored(group.body());
    }
    if (node instanceof RegexNode.Alternation alternation) {
      return alternation.branches().stream().allMatch(RegexEngine::anchored);
    }
    return false;
  }

  CompiledRegex.Engine kind();

  String pattern();

  /**
   * Linear time with the speed of a backtracker on ordinary lines: the backtracker runs first
   * under a small step budget (a matching sshd line takes a few hundred steps, and re2j's NFA is
   * ten times slower than that on fail2ban's prefix regexes), and a line that exhausts it is run
   * again on re2j, whose time is linear in the line. Both engines implement Python's
   * leftmost-first semantics, so the answer does not depend on which one gave it.
   */
  record Hybrid(Re2 re2, Budgeted fast) implements RegexEngine {
    @Override
    public RegexMatch search(CharSequence text) {
      try {
        return fast.searchWithin(text, 512 + 32 * text.length());
      } catch (BudgetedText.OverBudget e) {
        try {
          return re2.search(text);
        } catch (com.google.re2j.PatternSyntaxException bug) {
          return fast.search(text); // never seen: the tests compile every stock filter on re2j
        }
      }
    }

    @Override
    public CompiledRegex.Engine kind() {
      return CompiledRegex.Engine.RE2;
    }

    @Override
    public String pattern() {
      return re2.pattern();
    }
  }

  /**
   * re2j: linear in the input whatever the pattern. Compiled on first use: a hybrid needs it only
   * for the rare line that exhausts the fast path's budget, and re2j takes milliseconds to compile
   * the Unicode classes of a filter, which every start would pay.
   */
  final class Re2 implements RegexEngine {
    private final PythonRegexParser.Parsed parsed;
    private volatile Compiled compiled;

    /** The pattern printed for re2j, and compiled. */
    private record Compiled(RegexPrinter.Printed printed, com.google.re2j.Pattern pattern) {}

    Re2(PythonRegexParser.Parsed parsed) {
      this.parsed = parsed;
    }

    @Override
    public RegexMatch search(CharSequence text) {
      Compiled re2 = compiled();
      com.google.re2j.Matcher matcher = re2.pattern().matcher(text);
      if (!matcher.find()) {
        return null;
      }
      int[] engineGroups = re2.printed().engineGroups();
      int[] bounds = new int[2 * engineGroups.length];
      for (int group = 0; group < engineGroups.length; group++) {
        int engine = group == 0 ? 0 : engineGroups[group];
        bounds[2 * group] = matcher.start(engine);
        bounds[2 * group + 1] = matcher.end(engine);
      }
      return new Match(text, bounds);
    }

    void compileNow() {
      compiled();
    }

    /**
     * The pattern printed and compiled on first use (a benign race: two threads may both do it),
     * as printing the Unicode classes costs a start-up milliseconds that most runs never need.
     * The tree passed {@link RegexPrinter#re2CanExpress} and the printer writes RE2 syntax by
     * construction, so a refusal of either is a bug, not bad input.
     */
    private Compiled compiled() {
      Compiled re2 = compiled;
      if (re2 == null) {
        RegexPrinter.Printed printed;
        try {
          printed = RegexPrinter.print(parsed.root(), parsed.groupCount(),
              RegexPrinter.Dialect.RE2);
        } catch (RegexPrinter.Unsupported e) {
          throw new IllegalStateException("RE2 was found able to express " + parsed.root(), e);
        }
        re2 = new Compiled(printed, com.google.re2j.Pattern.compile(printed.pattern()));
        compiled = re2;
      }
      return re2;
    }

    @Override
    public CompiledRegex.Engine kind() {
      return CompiledRegex.Engine.RE2;
    }

    @Override
    public String pattern() {
      return compiled().printed().pattern();
    }
  }

  /** java.util.regex, for the patterns {@link Backtracker} does not take. */
  final class Java extends Budgeted {
    private final RegexPrinter.Printed printed;
    /** Every match starts at 0 ({@link RegexEngine#anchored}): lookingAt, not find. */
    private final boolean anchored;
    /** Each thread's matcher, reading through its budgeted view of the text. */
    private final ThreadLocal<Reusable> reusable;

    private static final class Reusable {
      final BudgetedText text = new BudgetedText();
      final java.util.regex.Matcher matcher;

      Reusable(java.util.regex.Pattern pattern) {
        this.matcher = pattern.matcher(text);
      }
    }

    Java(java.util.regex.Pattern compiled, RegexPrinter.Printed printed, String source,
        boolean anchored) {
      super(source);
      this.printed = printed;
      this.anchored = anchored;
      this.reusable = ThreadLocal.withInitial(() -> new Reusable(compiled));
    }

    @Override
    RegexMatch searchWithin(CharSequence text, int budget) {
      Reusable state = reusable.get();
      state.text.reset(text, budget);
      java.util.regex.Matcher matcher = state.matcher.reset(state.text);
      if (!(anchored ? matcher.lookingAt() : matcher.find())) {
        return null;
      }
      int[] engineGroups = printed.engineGroups();
      int[] bounds = new int[2 * engineGroups.length];
      bounds[0] = matcher.start();
      bounds[1] = matcher.end();
      for (int group = 1; group < engineGroups.length; group++) {
        bounds[2 * group] = matcher.start(engineGroups[group]);
        bounds[2 * group + 1] = matcher.end(engineGroups[group]);
      }
      return new Match(text, bounds);
    }

    @Override
    public String pattern() {
      return printed.pattern();
    }
  }

  /** {@link Backtracker}: vouch's own, for every pattern it takes. */
  final class Backtrack extends Budgeted {
    private final Backtracker backtracker;

    Backtrack(Backtracker backtracker, String source) {
      super(source);
      this.backtracker = backtracker;
    }

    @Override
    RegexMatch searchWithin(CharSequence text, int budget) {
      return backtracker.search(text, budget);
    }

    @Override
    public String pattern() {
      return source();
    }
  }

  /** A match with its own copy of the group bounds, by Python's group numbers. */
  final class Match implements RegexMatch {
    private final CharSequence text;
    private final int[] bounds;

    Match(CharSequence text, int[] bounds) {
      this.text = text;
      this.bounds = bounds;
    }

    @Override
    public int start() {
      return bounds[0];
    }

    @Override
    public int end() {
      return bounds[1];
    }

    @Override
    public String group(int group) {
      int start = bounds[2 * group];
      return start < 0 ? null : text.subSequence(start, bounds[2 * group + 1]).toString();
    }

    @Override
    public int start(int group) {
      return bounds[2 * group];
    }

    @Override
    public int end(int group) {
      return bounds[2 * group + 1];
    }
  }
}
