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
import java.util.Arrays;
import java.util.List;

/**
 * Turns a parsed template regex into a {@link DateScanner}'s node graph, each part linked to what
 * follows it, and works out where a match can start. Refuses ({@link Unsupported}) what the
 * scanner does not do: atomic groups, possessive repeats, non-ASCII literals, repeats of parts
 * that can match empty, groups inside lookarounds, lookbehinds of varying width.
 *
 * <p>Single-use, confined to one thread.
 */
final class DateScanCompiler {
  /** The pattern uses something this matcher does not do; the template keeps its regex only. */
  static final class Unsupported extends Exception {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  private int repeats;
  private int openSlots;

  /** The number of repeats in what was built (each needs a counter in a search). */
  int repeats() {
    return repeats;
  }

  /** The graph for {@code node}, followed by {@code next}. */
  DateScanNode build(RegexNode node, DateScanNode next) throws Unsupported {
    if (node instanceof Literal literal) {
      return link(new DateScanNode.Char(literalSet(literal)), next);
    }
    if (node instanceof CharClass charClass) {
      boolean[] set = new boolean[128];
      for (int c = 0; c < 128; c++) {
        set[c] = charClass.set().contains(c);
      }
      return link(new DateScanNode.Char(set), next);
    }
    if (node instanceof AnyChar any) {
      boolean[] set = new boolean[128];
      Arrays.fill(set, true);
      set['\n'] = any.dotAll();
      return link(new DateScanNode.Char(set), next);
    }
    if (node instanceof Assertion assertion) {
      return link(new DateScanNode.Anchor(assertion.kind()), next);
    }
    if (node instanceof Empty) {
      return next;
    }
    if (node instanceof Concat concat) {
      DateScanNode result = next;
      List<RegexNode> items = concat.items();
      for (int i = items.size() - 1; i >= 0; i--) {
        result = build(items.get(i), result);
      }
      return result;
    }
    if (node instanceof Alternation alternation) {
      DateScanNode.Join join = new DateScanNode.Join();
      join.next = next;
      DateScanNode[] alternatives = new DateScanNode[alternation.branches().size()];
      for (int i = 0; i < alternatives.length; i++) {
        alternatives[i] = build(alternation.branches().get(i), join);
      }
      return new DateScanNode.Branch(alternatives);
    }
    if (node instanceof Group group) {
      if (group.atomic()) {
        throw new Unsupported();
      }
      if (!group.capturing()) {
        return build(group.body(), next);
      }
      int slot = openSlots++;
      DateScanNode.GroupEnd end = new DateScanNode.GroupEnd(group.index(), slot);
      end.next = next;
      DateScanNode.GroupStart start = new DateScanNode.GroupStart(slot);
      start.next = build(group.body(), end);
      return start;
    }
    if (node instanceof Backreference reference) {
      return link(new DateScanNode.Backref(reference.group(), reference.ignoreCase()), next);
    }
    if (node instanceof RegexNode.Repeat repeat) {
      if (repeat.mode() == RegexNode.Repeat.Mode.POSSESSIVE
          || (minLength(repeat.body()) == 0 && repeat.max() != 1)) {
        // Python stops a repeat whose body matched empty; an optional part ({0,1}) never
        // iterates twice, so only longer repeats of such bodies would need that rule.
        throw new Unsupported();
      }
      DateScanNode.Repeat loop = new DateScanNode.Repeat(repeats++, repeat.min(), repeat.max(),
          repeat.mode() == RegexNode.Repeat.Mode.LAZY);
      loop.body = build(repeat.body(), new DateScanNode.Loop(loop));
      loop.next = next;
      return loop;
    }
    if (node instanceof Lookaround look) {
      if (containsGroup(look.body())) {
        throw new Unsupported();
      }
      int behind = 0;
      if (!look.ahead()) {
        behind = minLength(look.body());
        if (behind != maxLength(look.body())) {
          throw new Unsupported();
        }
      }
      DateScanNode body = build(look.body(), new DateScanNode.Accept());
      return link(new DateScanNode.Look(body, look.negative(), behind), next);
    }
    if (node instanceof Conditional conditional) {
      DateScanNode.Join join = new DateScanNode.Join();
      join.next = next;
      return new DateScanNode.Condition(conditional.group(), build(conditional.yes(), join),
          build(conditional.no(), join));
    }
    throw new Unsupported();
  }

  private static DateScanNode link(DateScanNode node, DateScanNode next) {
    node.next = next;
    return node;
  }

  /** The ASCII characters a literal matches; a non-ASCII literal is not supported. */
  private static boolean[] literalSet(Literal literal) throws Unsupported {
    int c = literal.codePoint();
    if (c >= 128) {
      throw new Unsupported();
    }
    boolean[] set = new boolean[128];
    set[c] = true;
    if (literal.ignoreCase() && Character.isLetter(c)) {
      set[Character.toLowerCase(c)] = true;
      set[Character.toUpperCase(c)] = true;
    }
    return set;
  }

  private static boolean containsGroup(RegexNode node) {
    if (node instanceof Group group && group.capturing()) {
      return true;
    }
    for (RegexNode child : node.children()) {
      if (containsGroup(child)) {
        return true;
      }
    }
    return false;
  }

  /** The fewest characters the node consumes. */
  private static int minLength(RegexNode node) {
    if (node instanceof Literal || node instanceof CharClass || node instanceof AnyChar) {
      return 1;
    }
    if (node instanceof Concat concat) {
      int total = 0;
      for (RegexNode item : concat.items()) {
        total += minLength(item);
      }
      return total;
    }
    if (node instanceof Alternation alternation) {
      int least = Integer.MAX_VALUE;
      for (RegexNode branch : alternation.branches()) {
        least = Math.min(least, minLength(branch));
      }
      return least;
    }
    if (node instanceof Group group) {
      return minLength(group.body());
    }
    if (node instanceof RegexNode.Repeat repeat) {
      return repeat.min() * minLength(repeat.body());
    }
    if (node instanceof Conditional conditional) {
      return Math.min(minLength(conditional.yes()), minLength(conditional.no()));
    }
    return 0; // assertions, lookarounds, backreferences (conservatively), empty
  }

  /** The most characters the node consumes, or -1 when unbounded or unknown. */
  private static int maxLength(RegexNode node) {
    if (node instanceof Literal || node instanceof CharClass || node instanceof AnyChar) {
      return 1;
    }
    if (node instanceof Assertion || node instanceof Lookaround || node instanceof Empty) {
      return 0;
    }
    if (node instanceof Concat concat) {
      int total = 0;
      for (RegexNode item : concat.items()) {
        int length = maxLength(item);
        if (length < 0) {
          return -1;
        }
        total += length;
      }
      return total;
    }
    if (node instanceof Alternation alternation) {
      int most = 0;
      for (RegexNode branch : alternation.branches()) {
        int length = maxLength(branch);
        if (length < 0) {
          return -1;
        }
        most = Math.max(most, length);
      }
      return most;
    }
    if (node instanceof Group group) {
      return maxLength(group.body());
    }
    if (node instanceof RegexNode.Repeat repeat) {
      int body = maxLength(repeat.body());
      return repeat.max() < 0 || body < 0 ? -1 : repeat.max() * body;
    }
    if (node instanceof Conditional conditional) {
      int yes = maxLength(conditional.yes());
      int no = maxLength(conditional.no());
      return yes < 0 || no < 0 ? -1 : Math.max(yes, no);
    }
    return -1;
  }

  /** The characters a match of {@code node} can start with; all when it may consume nothing. */
  static CharSet firstChars(RegexNode node) {
    CharSet[] first = {CharSet.EMPTY};
    return addFirstChars(node, first) ? first[0] : CharSet.range(0, CharSet.MAX);
  }

  /**
   * Adds to {@code into[0]} the characters a match can start with; false when a match may consume
   * nothing (then every position is a candidate). Zero-width parts only narrow the choice, so
   * skipping them keeps the set a superset.
   */
  private static boolean addFirstChars(RegexNode node, CharSet[] into) {
    if (node instanceof Literal literal) {
      CharSet set = CharSet.single(literal.codePoint());
      into[0] = into[0].union(literal.ignoreCase() ? set.withCaseVariants() : set);
      return true;
    }
    if (node instanceof CharClass charClass) {
      into[0] = into[0].union(charClass.set());
      return true;
    }
    if (node instanceof AnyChar || node instanceof Backreference) {
      into[0] = CharSet.range(0, CharSet.MAX);
      return true;
    }
    if (node instanceof Concat concat) {
      for (RegexNode item : concat.items()) {
        if (addFirstChars(item, into)) {
          return true;
        }
      }
      return false;
    }
    if (node instanceof Alternation alternation) {
      boolean allConsume = true;
      for (RegexNode branch : alternation.branches()) {
        allConsume &= addFirstChars(branch, into);
      }
      return allConsume;
    }
    if (node instanceof Group group) {
      return addFirstChars(group.body(), into);
    }
    if (node instanceof RegexNode.Repeat repeat) {
      return addFirstChars(repeat.body(), into) && repeat.min() > 0;
    }
    if (node instanceof Conditional conditional) {
      boolean yes = addFirstChars(conditional.yes(), into);
      boolean no = addFirstChars(conditional.no(), into);
      return yes && no;
    }
    return false; // assertions, lookarounds, empty: consume nothing
  }

  /** Whether every match must start at the start of the text (a leading {@code ^}). */
  static boolean startsWithTextStart(RegexNode node) {
    if (node instanceof Assertion assertion) {
      return assertion.kind() == Assertion.Kind.BEGIN_TEXT;
    }
    if (node instanceof Concat concat) {
      for (RegexNode item : concat.items()) {
        if (item instanceof Assertion assertion) {
          return assertion.kind() == Assertion.Kind.BEGIN_TEXT;
        }
        if (!(item instanceof Lookaround)) {
          return startsWithTextStart(item);
        }
      }
      return false;
    }
    if (node instanceof Group group) {
      return startsWithTextStart(group.body());
    }
    return false;
  }
}
