package dev.vouch.filter;

import dev.vouch.filter.RegexNode.Alternation;
import dev.vouch.filter.RegexNode.AnyChar;
import dev.vouch.filter.RegexNode.Assertion;
import dev.vouch.filter.RegexNode.Backreference;
import dev.vouch.filter.RegexNode.CharClass;
import dev.vouch.filter.RegexNode.Concat;
import dev.vouch.filter.RegexNode.Conditional;
import dev.vouch.filter.RegexNode.Empty;
import dev.vouch.filter.RegexNode.Group;
import dev.vouch.filter.RegexNode.Literal;
import dev.vouch.filter.RegexNode.Lookaround;
import dev.vouch.filter.RegexNode.Repeat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Prints a {@link RegexNode} tree in the syntax of one engine, keeping Python's semantics.
 *
 * <p>RE2 (re2j): capturing groups print unnamed, so the engine's group numbers are Python's. What
 * RE2 cannot express (lookaround, backreferences, conditionals, atomic groups, possessive or very
 * large repeats) raises {@link Unsupported}, and the caller falls back to Java.
 *
 * <p>Java (java.util.regex, compiled with UNIX_LINES): groups print as {@code (?<gN>...)};
 * conditionals {@code (?(N)yes|no)}, which Java lacks, become
 * {@code (?:(?=\k<mN>)yes|(?!\k<mN>)no)} with an empty marker group {@code (?<mN>)} at the end of
 * group N (a backreference to a group that did not participate fails in Java). Extra marker
 * groups shift Java's numbering, so {@link Printed#engineGroups()} maps Python's numbers.
 */
final class RegexPrinter {
  enum Dialect { RE2, JAVA }

  /** The tree uses a construct the dialect has no form for. */
  static final class Unsupported extends Exception {
    Unsupported(String construct) {
      super(construct, null, false, false);
    }
  }

  private static final int RE2_MAX_REPEAT = 1000;

  private final Dialect dialect;
  private final StringBuilder out = new StringBuilder();
  private final Set<Integer> conditionGroups = new HashSet<>();
  private final int[] engineGroups;
  private int nextEngineGroup = 1;

  private RegexPrinter(Dialect dialect, int groupCount) {
    this.dialect = dialect;
    this.engineGroups = new int[groupCount + 1];
  }

  /** The printed pattern and the engine's number for each Python group. */
  record Printed(String pattern, int[] engineGroups) {}

  /**
   * Whether {@link #print} in {@link Dialect#RE2} takes the tree: no lookaround, backreference,
   * conditional, atomic group, possessive repeat or repeat count over 1000. A walk of the tree,
   * without the printing.
   */
  static boolean re2CanExpress(RegexNode node) {
    if (node instanceof Backreference || node instanceof Lookaround
        || node instanceof Conditional) {
      return false;
    }
    if (node instanceof Group group && group.atomic()) {
      return false;
    }
    if (node instanceof Repeat repeat && (repeat.mode() == Repeat.Mode.POSSESSIVE
        || repeat.min() > RE2_MAX_REPEAT || repeat.max() > RE2_MAX_REPEAT)) {
      return false;
    }
    for (RegexNode child : node.children()) {
      if (!re2CanExpress(child)) {
        return false;
      }
    }
    return true;
  }

  static Printed print(RegexNode root, int groupCount, Dialect dialect) throws Unsupported {
    RegexPrinter printer = new RegexPrinter(dialect, groupCount);
    printer.collectConditions(root);
    printer.node(root, false);
    return new Printed(printer.out.toString(), printer.engineGroups);
  }

  private void collectConditions(RegexNode node) {
    if (node instanceof Conditional conditional) {
      conditionGroups.add(conditional.group());
    }
    for (RegexNode child : node.children()) {
      collectConditions(child);
    }
  }

  /** Prints {@code node}; {@code atom} asks for a form a quantifier can follow. */
  private void node(RegexNode node, boolean atom) throws Unsupported {
    if (node instanceof Literal literal) {
      literal(literal);
    } else if (node instanceof CharClass charClass) {
      charClass(charClass.set());
    } else if (node instanceof AnyChar any) {
      out.append(any.dotAll() ? "(?s:.)" : ".");
    } else if (node instanceof Assertion assertion) {
      assertion(assertion.kind());
    } else if (node instanceof Concat concat) {
      concat(concat.items(), atom);
    } else if (node instanceof Alternation alternation) {
      out.append("(?:");
      List<RegexNode> branches = alternation.branches();
      for (int i = 0; i < branches.size(); i++) {
        if (i > 0) {
          out.append('|');
        }
        node(branches.get(i), false);
      }
      out.append(')');
    } else if (node instanceof Repeat repeat) {
      repeat(repeat, atom);
    } else if (node instanceof Group group) {
      group(group);
    } else if (node instanceof Backreference reference) {
      requireJava("backreference");
      String name = "\\k<g" + reference.group() + ">";
      out.append(reference.ignoreCase() ? "(?iu:" + name + ")" : name);
    } else if (node instanceof Lookaround look) {
      requireJava(look.ahead() ? "lookahead" : "lookbehind");
      out.append(look.ahead() ? "(?" : "(?<").append(look.negative() ? '!' : '=');
      node(look.body(), false);
      out.append(')');
    } else if (node instanceof Conditional conditional) {
      requireJava("conditional");
      out.append("(?:(?=\\k<m").append(conditional.group()).append(">)");
      node(conditional.yes(), false);
      out.append("|(?!\\k<m").append(conditional.group()).append(">)");
      node(conditional.no(), false);
      out.append(')');
    } else {
      out.append("(?:)");
    }
  }

  private void requireJava(String construct) throws Unsupported {
    if (dialect == Dialect.RE2) {
      throw new Unsupported(construct);
    }
  }

  private void concat(List<RegexNode> items, boolean atom) throws Unsupported {
    if (atom) {
      out.append("(?:");
    }
    for (int i = 0; i < items.size(); i++) {
      RegexNode item = items.get(i);
      if (item instanceof Literal literal && literal.ignoreCase()) {
        // A run of case-insensitive literals shares one flag group.
        out.append("(?i").append(dialect == Dialect.JAVA ? "u" : "").append(':');
        while (i < items.size() && items.get(i) instanceof Literal run && run.ignoreCase()) {
          appendLiteral(run.codePoint());
          i++;
        }
        i--;
        out.append(')');
      } else {
        node(item, false);
      }
    }
    if (atom) {
      out.append(')');
    }
  }

  private void literal(Literal literal) {
    if (literal.ignoreCase()) {
      out.append(dialect == Dialect.JAVA ? "(?iu:" : "(?i:");
      appendLiteral(literal.codePoint());
      out.append(')');
    } else {
      appendLiteral(literal.codePoint());
    }
  }

  private void appendLiteral(int cp) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
        || cp == ' ' || cp == '_') {
      out.append((char) cp);
    } else if (cp > 0x20 && cp < 0x7f) {
      out.append('\\').append((char) cp);
    } else {
      out.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }
  }

  /** Prints a class, as a literal where it holds one character. */
  private void charClass(CharSet set) {
    if (set.explicit() && set.rangeCount() == 1 && set.from(0) == set.to(0)) {
      appendLiteral(set.from(0));
    } else if (set.isEmpty()) {
      out.append("[^\\x{0}-\\x{10ffff}]");
    } else if (set.complement().isEmpty()) {
      out.append("(?s:.)");
    } else if (dialect == Dialect.JAVA) {
      javaClass(set);
    } else {
      re2Class(set);
    }
  }

  /**
   * Prints a class for re2j as ranges, negated as written. Categories are listed too, from the
   * JDK's tables: re2j's own {@code \p{L}} is Unicode 6, 30,000 letters short of the JDK's.
   */
  private void re2Class(CharSet set) {
    boolean negate = !set.compound() && set.negated();
    int[] ranges = (negate ? set.positive() : set).materializedRanges();
    out.append(negate ? "[^" : "[");
    for (int r = 0; r < ranges.length; r += 2) {
      appendClassChar(ranges[r]);
      if (ranges[r + 1] != ranges[r]) {
        if (ranges[r + 1] > ranges[r] + 1) {
          out.append('-');
        }
        appendClassChar(ranges[r + 1]);
      }
    }
    out.append(']');
  }

  /**
   * Prints a class for java.util.regex so that an ASCII character is tested with one bitmap
   * lookup: java.util.regex keeps the single characters below 256 of a class in a bitmap, but
   * tests each range and category with a predicate of its own, in a chain. So the members below
   * 256 are listed one by one, and the rest sits behind a range guard that fails at once for
   * them ({@code [\x{100}-\x{10ffff}&&[...]]}). The chain is tested in the order written, the
   * bitmap last, so the guard goes first. On sshd's prefix regex this is a third faster.
   */
  private void javaClass(CharSet set) {
    boolean negate = !set.compound() && set.negated();
    CharSet base = set.compound() ? set : set.positive();
    out.append(negate ? "[^" : "[");
    StringBuilder high = new StringBuilder();
    int[] ranges;
    if (set.compound()) {
      ranges = set.materializedRanges();
    } else {
      ranges = new int[2 * base.rangeCount()];
      for (int r = 0; r < base.rangeCount(); r++) {
        ranges[2 * r] = base.from(r);
        ranges[2 * r + 1] = base.to(r);
      }
      for (int bit = 1; bit <= CharSet.DIGIT; bit <<= 1) {
        if ((base.categories() & bit) != 0) {
          high.append("\\p{").append(category(bit)).append('}');
        }
      }
    }
    for (int r = 0; r < ranges.length; r += 2) {
      int from = Math.max(ranges[r], 0x100);
      int to = ranges[r + 1];
      if (from <= to) {
        high.append("\\x{").append(Integer.toHexString(from)).append('}');
        if (to > from) {
          high.append("-\\x{").append(Integer.toHexString(to)).append('}');
        }
      }
    }
    if (high.length() > 0) {
      out.append("[\\x{100}-\\x{10ffff}&&[").append(high).append("]]");
    }
    for (int cp = 0; cp < 0x100; cp++) {
      if (base.contains(cp)) {
        appendClassChar(cp);
      }
    }
    out.append(']');
  }

  private static String category(int bit) {
    return switch (bit) {
      case CharSet.LETTER -> "L";
      case CharSet.NUMBER -> "N";
      default -> "Nd";
    };
  }

  private void appendClassChar(int cp) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
      out.append((char) cp);
    } else {
      out.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }
  }

  private void assertion(Assertion.Kind kind) {
    out.append(switch (kind) {
      case BEGIN_TEXT -> "\\A";
      case BEGIN_LINE -> "(?m:^)";
      // RE2 has no "before a final newline" outside multi-line mode; fail2ban's buffers hold
      // exactly one newline, at the end, so the multi-line form is the same there.
      case END_TEXT_OR_FINAL_NEWLINE -> dialect == Dialect.RE2 ? "(?m:$)" : "$";
      case END_LINE -> "(?m:$)";
      case END_TEXT -> "\\z";
      case WORD_BOUNDARY -> "\\b";
      case NOT_WORD_BOUNDARY -> "\\B";
    });
  }

  private void repeat(Repeat repeat, boolean atom) throws Unsupported {
    if (repeat.mode() == Repeat.Mode.POSSESSIVE) {
      requireJava("possessive repeat");
    }
    int min = repeat.min();
    int max = repeat.max();
    if (dialect == Dialect.RE2 && (min > RE2_MAX_REPEAT || max > RE2_MAX_REPEAT)) {
      throw new Unsupported("repeat count over " + RE2_MAX_REPEAT);
    }
    if (atom) {
      out.append("(?:");
    }
    node(repeat.body(), true);
    if (min == 0 && max == -1) {
      out.append('*');
    } else if (min == 1 && max == -1) {
      out.append('+');
    } else if (min == 0 && max == 1) {
      out.append('?');
    } else if (max == -1) {
      out.append('{').append(min).append(",}");
    } else if (min == max) {
      out.append('{').append(min).append('}');
    } else {
      out.append('{').append(min).append(',').append(max).append('}');
    }
    switch (repeat.mode()) {
      case LAZY -> out.append('?');
      case POSSESSIVE -> out.append('+');
      case GREEDY -> { }
    }
    if (atom) {
      out.append(')');
    }
  }

  private void group(Group group) throws Unsupported {
    if (group.atomic()) {
      requireJava("atomic group");
      out.append("(?>");
    } else if (!group.capturing()) {
      out.append("(?:");
    } else if (dialect == Dialect.RE2) {
      engineGroups[group.index()] = nextEngineGroup++;
      out.append('(');
    } else {
      engineGroups[group.index()] = nextEngineGroup++;
      out.append("(?<g").append(group.index()).append('>');
    }
    node(group.body(), false);
    if (group.capturing() && conditionGroups.contains(group.index())) {
      nextEngineGroup++;
      out.append("(?<m").append(group.index()).append(">)");
    }
    out.append(')');
  }
}
