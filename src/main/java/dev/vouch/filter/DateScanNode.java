package dev.vouch.filter;

import dev.vouch.filter.RegexNode.Assertion;
import java.util.Arrays;

/**
 * A node of a {@link DateScanner}'s matcher graph, in the style of java.util.regex's: each node
 * matches its part at a position and calls {@code next} for the rest, so that returning false
 * backtracks. Group spans, repeat counts and lookaround ends are saved and restored on the way
 * back, so a failed attempt leaves the {@link State} as it found it.
 */
abstract class DateScanNode {
  private static final int STEP_BUDGET = 20_000;

  DateScanNode next;

  abstract boolean match(State scan, int index);

  /** Python's {@code \w} on an ASCII character. */
  static boolean isWordCharacter(char c) {
    return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  }

  /** Thrown out of a search that must give up (non-ASCII text, too many steps). */
  static final class GiveUp extends RuntimeException {
    static final GiveUp INSTANCE = new GiveUp();

    private GiveUp() {
      super(null, null, false, false);
    }
  }

  /** The characters of {@code set} (ASCII) as a two-word bit mask, low word first. */
  static long[] mask(boolean[] set) {
    long[] mask = new long[2];
    for (int c = 0; c < 128; c++) {
      if (set[c]) {
        mask[c >>> 6] |= 1L << c;
      }
    }
    return mask;
  }

  private static final long[] NEWLINE = {1L << '\n', 0};
  static final long[] WORD = mask(wordCharacters());

  private static boolean[] wordCharacters() {
    boolean[] word = new boolean[128];
    for (char c = 0; c < 128; c++) {
      word[c] = isWordCharacter(c);
    }
    return word;
  }

  /**
   * The state of one search: group spans, repeat counts, steps taken, and what it read of the
   * text. For each position it read, it keeps the ASCII characters that would have answered every
   * test made there alike ({@link #classes}): a text that differs from this one only by such
   * characters, at positions read, takes the same path to the same answer (see {@link
   * DateScanner.Memo}). A test of one set narrows the position to the set or to the rest of
   * ASCII; any other read (a backreference, a line anchor) to the one character read.
   */
  static final class State {
    /** A String, not any CharSequence: its charAt is bound statically, no call per character. */
    final String text;
    final int length;
    /** Start and end of each group, by Python's group number; -1 when unset. */
    final int[] groups;
    final int[] counts;
    final int[] openedAt;
    int end;
    int steps;
    /**
     * The highest index the search depended on (read, or found to be inside the text), and
     * whether it found the end of the text: a text that agrees up to there gives the same answer.
     */
    int seen = -1;
    boolean sawEnd;
    /**
     * classes[2p], classes[2p + 1]: the characters position p may hold for the same answer, for
     * p up to {@link #classified}; a position beyond was not read (any character will do).
     */
    long[] classes = new long[64];
    int classified = -1;

    State(CharSequence text, int groupCount, int repeatCount) {
      this.text = text.toString();
      this.length = text.length();
      this.groups = new int[2 * (groupCount + 1)];
      Arrays.fill(groups, -1);
      this.counts = new int[repeatCount];
      this.openedAt = new int[groupCount];
    }

    /** The ASCII character at {@code index}, which the answer now depends on exactly. */
    char at(int index) {
      char c = read(index);
      narrow(index, c < 64 ? 1L << c : 0, c < 64 ? 0 : 1L << c);
      return c;
    }

    /** Whether the character at {@code index} is one of {@code set}'s (a {@link #mask}). */
    boolean test(int index, long[] set) {
      return classify(index, read(index), set);
    }

    /**
     * Whether {@code c}, read at {@code index}, is one of {@code set}'s; the position keeps the
     * ASCII characters that answer alike (none but c itself for a character beyond ASCII).
     */
    boolean classify(int index, char c, long[] set) {
      if (c >= 128) {
        narrow(index, 0, 0);
        return false;
      }
      boolean in = (set[c >>> 6] & (1L << c)) != 0;
      narrow(index, in ? set[0] : ~set[0], in ? set[1] : ~set[1]);
      return in;
    }

    /** The ASCII character at {@code index}; gives up on anything else. */
    private char read(int index) {
      if (index > seen) {
        seen = index;
      }
      char c = text.charAt(index);
      if (c >= 128) {
        throw GiveUp.INSTANCE;
      }
      return c;
    }

    /** Keeps at {@code index} only the characters of {@code low} and {@code high}. */
    void narrow(int index, long low, long high) {
      if (index > classified) {
        if (2 * index + 2 > classes.length) {
          classes = Arrays.copyOf(classes, Math.max(2 * index + 2, 2 * classes.length));
        }
        Arrays.fill(classes, 2 * classified + 2, 2 * index + 2, -1L);
        classified = index;
      }
      classes[2 * index] &= low;
      classes[2 * index + 1] &= high;
    }

    boolean isWord(int index) {
      return index >= 0 && inside(index) && test(index, WORD);
    }

    boolean isNewline(int index) {
      return test(index, NEWLINE);
    }

    /** Whether {@code index} is inside the text. */
    boolean inside(int index) {
      if (index < length) {
        if (index > seen) {
          seen = index;
        }
        return true;
      }
      sawEnd = true;
      return false;
    }

    /** Whether {@code index} is the end of the text. */
    boolean atEnd(int index) {
      return !inside(index) && index == length;
    }

    void step() {
      if (++steps > STEP_BUDGET) {
        throw GiveUp.INSTANCE;
      }
    }
  }

  static final class Accept extends DateScanNode {
    @Override
    boolean match(State scan, int index) {
      scan.end = index;
      return true;
    }
  }

  /** One character of an ASCII set. */
  static final class Char extends DateScanNode {
    final long[] set;

    Char(boolean[] set) {
      this.set = mask(set);
    }

    @Override
    boolean match(State scan, int index) {
      scan.step();
      return scan.inside(index) && scan.test(index, set) && next.match(scan, index + 1);
    }
  }

  static final class Anchor extends DateScanNode {
    final Assertion.Kind kind;

    Anchor(Assertion.Kind kind) {
      this.kind = kind;
    }

    @Override
    boolean match(State scan, int index) {
      scan.step();
      boolean holds = switch (kind) {
        case BEGIN_TEXT -> index == 0;
        case BEGIN_LINE -> index == 0 || scan.isNewline(index - 1);
        case END_TEXT -> scan.atEnd(index);
        case END_TEXT_OR_FINAL_NEWLINE -> scan.atEnd(index)
            || (scan.atEnd(index + 1) && scan.isNewline(index));
        case END_LINE -> scan.atEnd(index) || scan.isNewline(index);
        case WORD_BOUNDARY -> scan.isWord(index - 1) != scan.isWord(index);
        case NOT_WORD_BOUNDARY -> scan.isWord(index - 1) == scan.isWord(index);
      };
      return holds && next.match(scan, index);
    }
  }

  /** Alternatives in order; each ends in a {@link Join} to {@code next}. */
  static final class Branch extends DateScanNode {
    final DateScanNode[] alternatives;

    Branch(DateScanNode[] alternatives) {
      this.alternatives = alternatives;
    }

    @Override
    boolean match(State scan, int index) {
      for (DateScanNode alternative : alternatives) {
        if (alternative.match(scan, index)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Where the parts of a branch, group or lookaround body meet again. */
  static final class Join extends DateScanNode {
    @Override
    boolean match(State scan, int index) {
      return next.match(scan, index);
    }
  }

  /** Opens a group: its start is kept aside until the group closes (Python sets both then). */
  static final class GroupStart extends DateScanNode {
    final int slot;

    GroupStart(int slot) {
      this.slot = slot;
    }

    @Override
    boolean match(State scan, int index) {
      int old = scan.openedAt[slot];
      scan.openedAt[slot] = index;
      if (next.match(scan, index)) {
        return true;
      }
      scan.openedAt[slot] = old;
      return false;
    }
  }

  static final class GroupEnd extends DateScanNode {
    final int group;
    final int slot;

    GroupEnd(int group, int slot) {
      this.group = group;
      this.slot = slot;
    }

    @Override
    boolean match(State scan, int index) {
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
  static final class Backref extends DateScanNode {
    final int group;
    final boolean ignoreCase;

    Backref(int group, boolean ignoreCase) {
      this.group = group;
      this.ignoreCase = ignoreCase;
    }

    @Override
    boolean match(State scan, int index) {
      scan.step();
      int from = scan.groups[2 * group];
      int to = scan.groups[2 * group + 1];
      if (from < 0 || to < 0) {
        return false;
      }
      int length = to - from;
      if (length > 0 && !scan.inside(index + length - 1)) {
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
  static final class Repeat extends DateScanNode {
    final int slot;
    final int min;
    final int max;
    final boolean lazy;
    DateScanNode body;

    Repeat(int slot, int min, int max, boolean lazy) {
      this.slot = slot;
      this.min = min;
      this.max = max;
      this.lazy = lazy;
    }

    @Override
    boolean match(State scan, int index) {
      int saved = scan.counts[slot];
      scan.counts[slot] = 0;
      boolean matched = iterate(scan, index);
      scan.counts[slot] = saved;
      return matched;
    }

    boolean iterate(State scan, int index) {
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

    private boolean again(State scan, int index, int count) {
      scan.counts[slot] = count + 1;
      boolean matched = body.match(scan, index);
      scan.counts[slot] = count;
      return matched;
    }
  }

  static final class Loop extends DateScanNode {
    final Repeat repeat;

    Loop(Repeat repeat) {
      this.repeat = repeat;
    }

    @Override
    boolean match(State scan, int index) {
      return repeat.iterate(scan, index);
    }
  }

  /** A lookahead or fixed-width lookbehind; its body ends in an {@link Accept}. */
  static final class Look extends DateScanNode {
    final DateScanNode body;
    final boolean negative;
    final int behind;

    Look(DateScanNode body, boolean negative, int behind) {
      this.body = body;
      this.negative = negative;
      this.behind = behind;
    }

    @Override
    boolean match(State scan, int index) {
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
  static final class Condition extends DateScanNode {
    final int group;
    final DateScanNode yes;
    final DateScanNode no;

    Condition(int group, DateScanNode yes, DateScanNode no) {
      this.group = group;
      this.yes = yes;
      this.no = no;
    }

    @Override
    boolean match(State scan, int index) {
      boolean set = scan.groups[2 * group] >= 0 && scan.groups[2 * group + 1] >= 0;
      return (set ? yes : no).match(scan, index);
    }
  }
}
