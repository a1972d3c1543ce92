package dev.vouch.filter;

import java.util.List;

/** The syntax tree of a regex in Python's {@code re} dialect, as fail2ban writes them. */
sealed interface RegexNode {

  /** The direct sub-trees of this node. */
  default List<RegexNode> children() {
    return List.of();
  }

  /** One literal code point. */
  record Literal(int codePoint, boolean ignoreCase) implements RegexNode {}

  /**
   * A character class, resolved to code point ranges: negation and, under IGNORECASE, the case
   * variants are already applied, so the set needs no flags to print.
   */
  record CharClass(CharSet set) implements RegexNode {}

  /** {@code .}: any code point but {@code \n}, or any at all under DOTALL. */
  record AnyChar(boolean dotAll) implements RegexNode {}

  /** A zero-width assertion. */
  record Assertion(Kind kind) implements RegexNode {
    enum Kind {
      /** {@code ^} without MULTILINE, {@code \A}. */
      BEGIN_TEXT,
      /** {@code ^} with MULTILINE. */
      BEGIN_LINE,
      /** {@code $} without MULTILINE: at the end, or before a final {@code \n}. */
      END_TEXT_OR_FINAL_NEWLINE,
      /** {@code $} with MULTILINE. */
      END_LINE,
      /** {@code \Z}. */
      END_TEXT,
      WORD_BOUNDARY,
      NOT_WORD_BOUNDARY
    }
  }

  record Concat(List<RegexNode> items) implements RegexNode {
    public Concat {
      items = List.copyOf(items);
    }

    @Override
    public List<RegexNode> children() {
      return items;
    }
  }

  record Alternation(List<RegexNode> branches) implements RegexNode {
    public Alternation {
      branches = List.copyOf(branches);
    }

    @Override
    public List<RegexNode> children() {
      return branches;
    }
  }

  /** A quantifier; {@code max} is -1 for unbounded. */
  record Repeat(RegexNode body, int min, int max, Mode mode) implements RegexNode {
    @Override
    public List<RegexNode> children() {
      return List.of(body);
    }

    enum Mode { GREEDY, LAZY, POSSESSIVE }
  }

  /** A capturing group ({@code index > 0}, {@code name} may be null) or, with index 0, a plain one. */
  record Group(RegexNode body, int index, String name, boolean atomic) implements RegexNode {
    @Override
    public List<RegexNode> children() {
      return List.of(body);
    }

    boolean capturing() {
      return index > 0;
    }
  }

  /** {@code (?P=name)} or {@code \1}; {@code group} is the referenced group's index. */
  record Backreference(int group, boolean ignoreCase) implements RegexNode {}

  /** Lookahead or lookbehind, positive or negative. */
  record Lookaround(RegexNode body, boolean ahead, boolean negative) implements RegexNode {
    @Override
    public List<RegexNode> children() {
      return List.of(body);
    }
  }

  /** {@code (?(group)yes|no)}. */
  record Conditional(int group, RegexNode yes, RegexNode no) implements RegexNode {
    @Override
    public List<RegexNode> children() {
      return List.of(yes, no);
    }
  }

  /** The empty pattern. */
  record Empty() implements RegexNode {}
}
