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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A hand-written matcher for fail2ban's default date templates, built from their parsed regex:
 * Python's leftmost, backtracking search, without the cost a general engine pays at every position
 * of a line (java.util.regex spends 10 to 200 µs on one unanchored template over a 100-character
 * line, and the detector may try thirty templates on a line).
 *
 * <p>It reads ASCII only: the first non-ASCII character it has to look at, or a search that takes
 * unusually many steps, makes it give up ({@link #GAVE_UP}), and the template's {@link
 * CompiledRegex} answers instead. On ASCII text Python's Unicode classes, case folding and word
 * bounds reduce to their ASCII forms, so the answer is the regex's; {@code DateScannerTest} checks
 * that on every default template. Only the default templates use it: they are fixed, small, and
 * free of nested repeats.
 *
 * <p>Immutable and thread-safe; each search has its own state.
 */
final class DateScanner {
  /** Returned when the scanner cannot answer; ask the regex. */
  static final RegexMatch GAVE_UP = new Captures(new int[0], "");

  private static final int STEP_BUDGET = 20_000;

  /** The pattern uses something this matcher does not do; the template keeps its regex only. */
  private static final class Unsupported extends Exception {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  /** Thrown out of a search that must give up. */
  private static final class GiveUp extends RuntimeException {
    static final GiveUp INSTANCE = new GiveUp();

    private GiveUp() {
      super(null, null, false, false);
    }
  }

  private final Node start;
  private final int groupCount;
  private final int repeatCount;
  private final boolean atTextStartOnly;
  /** The characters a match can start with (all when it may start with nothing consumed). */
  private final CharSet firstSet;
  private final boolean[] first = new boolean[128];

  private DateScanner(Node start, int groupCount, int repeatCount, boolean atTextStartOnly,
      CharSet firstSet) {
    this.start = start;
    this.groupCount = groupCount;
    this.repeatCount = repeatCount;
    this.atTextStartOnly = atTextStartOnly;
    this.firstSet = firstSet;
    for (int c = 0; c < 128; c++) {
      first[c] = firstSet.contains(c);
    }
  }

  /** A scanner for a template regex, or empty when it uses what the scanner does not do. */
  static Optional<DateScanner> of(String regex) {
    PythonRegexParser.Parsed parsed = PythonRegexParser.parse(regex, 0);
    try {
      Builder builder = new Builder();
      Node start = builder.build(parsed.root(), new Accept());
      CharSet[] first = {CharSet.EMPTY};
      if (!firstChars(parsed.root(), first)) {
        first[0] = CharSet.range(0, CharSet.MAX);
      }
      return Optional.of(new DateScanner(start, parsed.groupCount(), builder.repeats,
          startsWithTextStart(parsed.root()), first[0]));
    } catch (Unsupported e) {
      return Optional.empty();
    }
  }

  /**
   * Python's {@code regex.search(text, from)}: the leftmost match starting at {@code from} or
   * later, or null, or {@link #GAVE_UP}.
   */
  RegexMatch search(CharSequence text, int from) {
    Scan scan = null;
    try {
      int last = atTextStartOnly ? Math.min(0, text.length()) : text.length();
      for (int position = from; position <= last; position++) {
        if (position < text.length() && cannotStart(text.charAt(position))) {
          continue;
        }
        if (scan == null) {
          scan = new Scan(text, groupCount, repeatCount);
        }
        scan.step();
        // A failed attempt restores every group it set, so the next one starts clean.
        if (start.match(scan, position)) {
          scan.groups[0] = position;
          scan.groups[1] = scan.end;
          return new Captures(scan.groups, text);
        }
      }
      return null;
    } catch (GiveUp e) {
      return GAVE_UP;
    }
  }

  /**
   * Whether no match can start at a character. A non-ASCII letter or digit may take part in
   * Python's case folding or Unicode digits, so only other characters outside the set are ruled
   * out here; the rest are left to the match, which gives up on them.
   */
  private boolean cannotStart(char c) {
    if (c < 128) {
      return !first[c];
    }
    return !Character.isSurrogate(c) && !Character.isLetterOrDigit(c) && !firstSet.contains(c);
  }

  /** The state of one search. */
  private static final class Scan {
    final CharSequence text;
    final int length;
    /** Start and end of each group, by Python's group number; -1 when unset. */
    final int[] groups;
    final int[] counts;
    final int[] openedAt;
    int end;
    int steps;

    Scan(CharSequence text, int groupCount, int repeatCount) {
      this.text = text;
      this.length = text.length();
      this.groups = new int[2 * (groupCount + 1)];
      Arrays.fill(groups, -1);
      this.counts = new int[repeatCount];
      this.openedAt = new int[groupCount];
    }

    /** The ASCII character at {@code index}; gives up on anything else. */
    char at(int index) {
      char c = text.charAt(index);
      if (c >= 128) {
        throw GiveUp.INSTANCE;
      }
      return c;
    }

    boolean isWord(int index) {
      if (index < 0 || index >= length) {
        return false;
      }
      char c = at(index);
      return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    }

    void step() {
      if (++steps > STEP_BUDGET) {
        throw GiveUp.INSTANCE;
      }
    }
  }

  /** A node of the matcher graph; {@code next} is what follows it. */
  private abstract static class Node {
    Node next;

    abstract boolean match(Scan scan, int index);
  }

  private static final class Accept extends Node {
    @Override
    boolean match(Scan scan, int index) {
      scan.end = index;
      return true;
    }
  }

  /** One character of an ASCII set. */
  private static final class Char extends Node {
    final boolean[] set;

    Char(boolean[] set) {
      this.set = set;
    }

    @Override
    boolean match(Scan scan, int index) {
      scan.step();
      return index < scan.length && set[scan.at(index)] && next.match(scan, index + 1);
    }
  }

  private static final class Anchor extends Node {
    final Assertion.Kind kind;

    Anchor(Assertion.Kind kind) {
      this.kind = kind;
    }

    @Override
    boolean match(Scan scan, int index) {
      scan.step();
      boolean holds = switch (kind) {
        case BEGIN_TEXT -> index == 0;
        case BEGIN_LINE -> index == 0 || scan.at(index - 1) == '\n';
        case END_TEXT -> index == scan.length;
        case END_TEXT_OR_FINAL_NEWLINE -> index == scan.length
            || (index == scan.length - 1 && scan.at(index) == '\n');
        case END_LINE -> index == scan.length || scan.at(index) == '\n';
        case WORD_BOUNDARY -> scan.isWord(index - 1) != scan.isWord(index);
        case NOT_WORD_BOUNDARY -> scan.isWord(index - 1) == scan.isWord(index);
      };
      return holds && next.match(scan, index);
    }
  }

  /** Alternatives in order; each ends in a {@link Join} to {@code next}. */
  private static final class Branch extends Node {
    final Node[] alternatives;

    Branch(Node[] alternatives) {
      this.alternatives = alternatives;
    }

    @Override
    boolean match(Scan scan, int index) {
      for (Node alternative : alternatives) {
        if (alternative.match(scan, index)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Where the parts of a branch, group or lookaround body meet again. */
  private static final class Join extends Node {
    @Override
    boolean match(Scan scan, int index) {
      return next.match(scan, index);
    }
  }

  /** Opens a group: its start is kept aside until the group closes (Python sets both then). */
  private static final class GroupStart extends Node {
    final int slot;

    GroupStart(int slot) {
      this.slot = slot;
    }

    @Override
    boolean match(Scan scan, int index) {
      int old = scan.openedAt[slot];
      scan.openedAt[slot] = index;
      if (next.match(scan, index)) {
        return true;
      }
      scan.openedAt[slot] = old;
      return false;
    }
  }

  private static final class GroupEnd extends Node {
    final int group;
    final int slot;

    GroupEnd(int group, int slot) {
      this.group = group;
      this.slot = slot;
    }

    @Override
    boolean match(Scan scan, int index) {
      int[] groups = scan.groups;
      int oldStart = groups[2 * group];
      int oldEnd = groups[2 * group + 1];
      groups[2 * group] = scan.openedAt[slot];
      groups[2 * group + 1] = index;
      if (next.match(scan, index)) {
        return true;
      }
      groups[2 * group] = oldStart;
      groups[2 * group + 1] = oldEnd;
      return false;
    }
  }

  /** {@code (?P=name)}: the text of a closed group again (ASCII case-insensitively if asked). */
  private static final class Backref extends Node {
    final int group;
    final boolean ignoreCase;

    Backref(int group, boolean ignoreCase) {
      this.group = group;
      this.ignoreCase = ignoreCase;
    }

    @Override
    boolean match(Scan scan, int index) {
      scan.step();
      int from = scan.groups[2 * group];
      int to = scan.groups[2 * group + 1];
      if (from < 0 || to < 0) {
        return false;
      }
      int length = to - from;
      if (index + length > scan.length) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        char a = scan.at(from + i);
        char b = scan.at(index + i);
        if (a != b && !(ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b))) {
          return false;
        }
      }
      return next.match(scan, index + length);
    }
  }

  /**
   * A greedy or lazy repeat whose body cannot match empty, or which is optional; the body ends in
   * a {@link Loop}.
   */
  private static final class Repeat extends Node {
    final int slot;
    final int min;
    final int max;
    final boolean lazy;
    Node body;

    Repeat(int slot, int min, int max, boolean lazy) {
      this.slot = slot;
      this.min = min;
      this.max = max;
      this.lazy = lazy;
    }

    @Override
    boolean match(Scan scan, int index) {
      int saved = scan.counts[slot];
      scan.counts[slot] = 0;
      boolean matched = iterate(scan, index);
      scan.counts[slot] = saved;
      return matched;
    }

    boolean iterate(Scan scan, int index) {
      scan.step();
      int count = scan.counts[slot];
      if (count < min) {
        scan.counts[slot] = count + 1;
        boolean matched = body.match(scan, index);
        scan.counts[slot] = count;
        return matched;
      }
      boolean more = max < 0 || count < max;
      if (lazy) {
        if (next.match(scan, index)) {
          return true;
        }
        return more && again(scan, index, count);
      }
      if (more && again(scan, index, count)) {
        return true;
      }
      return next.match(scan, index);
    }

    private boolean again(Scan scan, int index, int count) {
      scan.counts[slot] = count + 1;
      boolean matched = body.match(scan, index);
      scan.counts[slot] = count;
      return matched;
    }
  }

  private static final class Loop extends Node {
    final Repeat repeat;

    Loop(Repeat repeat) {
      this.repeat = repeat;
    }

    @Override
    boolean match(Scan scan, int index) {
      return repeat.iterate(scan, index);
    }
  }

  /** A lookahead or fixed-width lookbehind; its body ends in an {@link Accept}. */
  private static final class Look extends Node {
    final Node body;
    final boolean negative;
    final int behind;

    Look(Node body, boolean negative, int behind) {
      this.body = body;
      this.negative = negative;
      this.behind = behind;
    }

    @Override
    boolean match(Scan scan, int index) {
      scan.step();
      int from = index - behind;
      boolean found;
      if (from < 0) {
        found = false;
      } else {
        int savedEnd = scan.end;
        found = body.match(scan, from) && (behind == 0 || scan.end == index);
        scan.end = savedEnd;
      }
      return found != negative && next.match(scan, index);
    }
  }

  /** {@code (?(group)yes|no)}. */
  private static final class Condition extends Node {
    final int group;
    final Node yes;
    final Node no;

    Condition(int group, Node yes, Node no) {
      this.group = group;
      this.yes = yes;
      this.no = no;
    }

    @Override
    boolean match(Scan scan, int index) {
      boolean set = scan.groups[2 * group] >= 0 && scan.groups[2 * group + 1] >= 0;
      return (set ? yes : no).match(scan, index);
    }
  }

  /** Turns a regex tree into a node graph, each part linked to what follows it. */
  private static final class Builder {
    int repeats;
    int openSlots;

    Node build(RegexNode node, Node next) throws Unsupported {
      if (node instanceof Literal literal) {
        return link(new Char(literalSet(literal)), next);
      }
      if (node instanceof CharClass charClass) {
        boolean[] set = new boolean[128];
        for (int c = 0; c < 128; c++) {
          set[c] = charClass.set().contains(c);
        }
        return link(new Char(set), next);
      }
      if (node instanceof AnyChar any) {
        boolean[] set = new boolean[128];
        Arrays.fill(set, true);
        set['\n'] = any.dotAll();
        return link(new Char(set), next);
      }
      if (node instanceof Assertion assertion) {
        return link(new Anchor(assertion.kind()), next);
      }
      if (node instanceof Empty) {
        return next;
      }
      if (node instanceof Concat concat) {
        Node result = next;
        List<RegexNode> items = concat.items();
        for (int i = items.size() - 1; i >= 0; i--) {
          result = build(items.get(i), result);
        }
        return result;
      }
      if (node instanceof Alternation alternation) {
        Join join = new Join();
        join.next = next;
        Node[] alternatives = new Node[alternation.branches().size()];
        for (int i = 0; i < alternatives.length; i++) {
          alternatives[i] = build(alternation.branches().get(i), join);
        }
        return new Branch(alternatives);
      }
      if (node instanceof Group group) {
        if (group.atomic()) {
          throw new Unsupported();
        }
        if (!group.capturing()) {
          return build(group.body(), next);
        }
        int slot = openSlots++;
        GroupEnd end = new GroupEnd(group.index(), slot);
        end.next = next;
        GroupStart start = new GroupStart(slot);
        start.next = build(group.body(), end);
        return start;
      }
      if (node instanceof Backreference reference) {
        return link(new Backref(reference.group(), reference.ignoreCase()), next);
      }
      if (node instanceof RegexNode.Repeat repeat) {
        if (repeat.mode() == RegexNode.Repeat.Mode.POSSESSIVE
            || (minLength(repeat.body()) == 0 && repeat.max() != 1)) {
          // Python stops a repeat whose body matched empty; an optional part ({0,1}) never
          // iterates twice, so only longer repeats of such bodies would need that rule.
          throw new Unsupported();
        }
        Repeat loop = new Repeat(repeats++, repeat.min(), repeat.max(),
            repeat.mode() == RegexNode.Repeat.Mode.LAZY);
        loop.body = build(repeat.body(), new Loop(loop));
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
        return link(new Look(build(look.body(), new Accept()), look.negative(), behind), next);
      }
      if (node instanceof Conditional conditional) {
        Join join = new Join();
        join.next = next;
        return new Condition(conditional.group(), build(conditional.yes(), join),
            build(conditional.no(), join));
      }
      throw new Unsupported();
    }

    private static Node link(Node node, Node next) {
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
  static int minLength(RegexNode node) {
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
  static int maxLength(RegexNode node) {
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

  /**
   * Adds to {@code into[0]} the characters a match can start with; false when a match may consume
   * nothing (then every position is a candidate). Zero-width parts only narrow the choice, so
   * skipping them keeps the set a superset.
   */
  private static boolean firstChars(RegexNode node, CharSet[] into) {
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
        if (firstChars(item, into)) {
          return true;
        }
      }
      return false;
    }
    if (node instanceof Alternation alternation) {
      boolean allConsume = true;
      for (RegexNode branch : alternation.branches()) {
        allConsume &= firstChars(branch, into);
      }
      return allConsume;
    }
    if (node instanceof Group group) {
      return firstChars(group.body(), into);
    }
    if (node instanceof RegexNode.Repeat repeat) {
      return firstChars(repeat.body(), into) && repeat.min() > 0;
    }
    if (node instanceof Conditional conditional) {
      boolean yes = firstChars(conditional.yes(), into);
      boolean no = firstChars(conditional.no(), into);
      return yes && no;
    }
    return false; // assertions, lookarounds, empty: consume nothing
  }

  /** Whether every match must start at the start of the text (a leading {@code ^}). */
  private static boolean startsWithTextStart(RegexNode node) {
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

  /** The spans of a match, by Python's group numbers. */
  private record Captures(int[] groups, CharSequence text) implements RegexMatch {
    @Override
    public int start() {
      return groups[0];
    }

    @Override
    public int end() {
      return groups[1];
    }

    @Override
    public String group(int group) {
      int from = groups[2 * group];
      int to = groups[2 * group + 1];
      return from < 0 || to < 0 ? null : text.subSequence(from, to).toString();
    }

    @Override
    public int start(int group) {
      return groups[2 * group + 1] < 0 ? -1 : groups[2 * group];
    }

    @Override
    public int end(int group) {
      return groups[2 * group] < 0 ? -1 : groups[2 * group + 1];
    }
  }
}
