package dev.vouch.filter;

import java.lang.System.Logger.Level;

/** One engine running one compiled pattern. Implementations are immutable and thread-safe. */
sealed interface RegexEngine {

  /**
   * The engine for a parsed pattern. When RE2 can express it: a {@link Hybrid} of re2j and a
   * budgeted java.util.regex fast path; otherwise java.util.regex alone under a large budget.
   */
  static RegexEngine of(String source, PythonRegexParser.Parsed parsed) {
    Java java = java(source, parsed, Java.STEP_BUDGET);
    try {
      RegexPrinter.Printed printed =
          RegexPrinter.print(parsed.root(), parsed.groupCount(), RegexPrinter.Dialect.RE2);
      return new Hybrid(new Re2(com.google.re2j.Pattern.compile(printed.pattern()), printed),
          java);
    } catch (RegexPrinter.Unsupported e) {
      return java; // lookaround, backreference, conditional and the like
    } catch (com.google.re2j.PatternSyntaxException e) {
      return java; // RE2 refused what we printed: Java still runs it
    }
  }

  private static Java java(String source, PythonRegexParser.Parsed parsed, int budget) {
    RegexPrinter.Printed printed;
    try {
      printed = RegexPrinter.print(parsed.root(), parsed.groupCount(), RegexPrinter.Dialect.JAVA);
    } catch (RegexPrinter.Unsupported e) {
      throw new IllegalStateException("the Java dialect prints every construct", e);
    }
    try {
      return new Java(java.util.regex.Pattern.compile(printed.pattern(),
          java.util.regex.Pattern.UNIX_LINES), printed, source);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new RegexSyntaxException("neither RE2 nor Java can run this regex ("
          + e.getDescription() + ")", source, 0);
    }
  }

  RegexMatch search(CharSequence text);

  CompiledRegex.Engine kind();

  String pattern();

  /**
   * Linear time with the speed of a backtracker on ordinary lines: java.util.regex runs first
   * under a small step budget (a matching sshd line takes about a hundred steps, and re2j's NFA
   * is ten times slower than that on fail2ban's prefix regexes), and a line that exhausts it is
   * run again on re2j, whose time is linear in the line. Both engines implement Python's
   * leftmost-first semantics, so the answer does not depend on which one gave it.
   */
  record Hybrid(Re2 re2, Java java) implements RegexEngine {
    @Override
    public RegexMatch search(CharSequence text) {
      try {
        return java.searchWithin(text, 256 + 16 * text.length());
      } catch (BudgetedText.OverBudget e) {
        return re2.search(text);
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

  /** re2j: linear in the input whatever the pattern. */
  record Re2(com.google.re2j.Pattern compiled, RegexPrinter.Printed printed) implements RegexEngine {
    @Override
    public RegexMatch search(CharSequence text) {
      com.google.re2j.Matcher matcher = compiled.matcher(text);
      if (!matcher.find()) {
        return null;
      }
      return new Match(printed.engineGroups()) {
        @Override
        int engineStart(int group) {
          return matcher.start(group);
        }

        @Override
        int engineEnd(int group) {
          return matcher.end(group);
        }

        @Override
        String engineGroup(int group) {
          return matcher.group(group);
        }
      };
    }

    @Override
    public CompiledRegex.Engine kind() {
      return CompiledRegex.Engine.RE2;
    }

    @Override
    public String pattern() {
      return printed.pattern();
    }
  }

  /** java.util.regex under a step budget: a line over budget is a miss, logged once. */
  final class Java implements RegexEngine {
    /** About a few milliseconds of backtracking on one line. */
    static final int STEP_BUDGET = 1_000_000;
    private static final System.Logger LOG = System.getLogger("vouch.filter");

    private final java.util.regex.Pattern compiled;
    private final RegexPrinter.Printed printed;
    private final String source;
    private volatile boolean overBudgetLogged;

    Java(java.util.regex.Pattern compiled, RegexPrinter.Printed printed, String source) {
      this.compiled = compiled;
      this.printed = printed;
      this.source = source;
    }

    @Override
    public RegexMatch search(CharSequence text) {
      try {
        return searchWithin(text, STEP_BUDGET);
      } catch (BudgetedText.OverBudget e) {
        if (!overBudgetLogged) {
          overBudgetLogged = true;
          LOG.log(Level.WARNING, "regex over its step budget on a line of {0} chars; the line"
              + " counts as a miss (logged once per regex): {1}", text.length(), source);
        }
        return null;
      }
    }

    /** Searches reading at most {@code budget} characters; else {@link BudgetedText.OverBudget}. */
    RegexMatch searchWithin(CharSequence text, int budget) {
      java.util.regex.Matcher matcher = compiled.matcher(new BudgetedText(text, budget));
      if (!matcher.find()) {
        return null;
      }
      return new Match(printed.engineGroups()) {
        @Override
        int engineStart(int group) {
          return matcher.start(group);
        }

        @Override
        int engineEnd(int group) {
          return matcher.end(group);
        }

        @Override
        String engineGroup(int group) {
          int start = matcher.start(group);
          return start < 0 ? null : text.subSequence(start, matcher.end(group)).toString();
        }
      };
    }

    @Override
    public CompiledRegex.Engine kind() {
      return CompiledRegex.Engine.JAVA;
    }

    @Override
    public String pattern() {
      return printed.pattern();
    }
  }

  /** Maps Python's group numbers to the engine's. */
  abstract class Match implements RegexMatch {
    private final int[] engineGroups;

    Match(int[] engineGroups) {
      this.engineGroups = engineGroups;
    }

    abstract int engineStart(int group);

    abstract int engineEnd(int group);

    abstract String engineGroup(int group);

    @Override
    public int start() {
      return engineStart(0);
    }

    @Override
    public int end() {
      return engineEnd(0);
    }

    @Override
    public String group(int group) {
      return engineGroup(group == 0 ? 0 : engineGroups[group]);
    }

    @Override
    public int start(int group) {
      return engineStart(group == 0 ? 0 : engineGroups[group]);
    }

    @Override
    public int end(int group) {
      return engineEnd(group == 0 ? 0 : engineGroups[group]);
    }
  }
}
