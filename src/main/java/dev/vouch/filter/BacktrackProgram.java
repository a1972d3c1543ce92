package dev.vouch.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A regex compiled for {@link Backtracker}: instructions in one int array, each an opcode and its
 * operands, and the character classes they test. Immutable.
 *
 * <p>The compiler follows Python's {@code sre}: branches and repeats try their alternatives in
 * the order Python does, so the first match found is Python's, with its groups. A repeat of a
 * single character (the {@code \S+} and {@code .+} that make up most of fail2ban's regexes) is
 * one instruction with a tight loop; when the instruction after it is a literal character, the
 * loop gives back only to where that character stands, and not at all when the character cannot
 * be in the repeated class.
 */
record BacktrackProgram(int[] code, long[] latin1, CharSet[] sets, int groupCount,
    int registers, int firstChar, boolean anchored) {

  // Opcodes and their operands.
  /** CHAR c: one BMP character c. */
  static final int CHAR = 0;
  /** CLASS k: one code point in class k. */
  static final int CLASS = 1;
  /** SPLIT first second: try first, then second. */
  static final int SPLIT = 2;
  /** JUMP to. */
  static final int JUMP = 3;
  /** SAVE slot: the position into a group bound or a loop register. */
  static final int SAVE = 4;
  /** ASSERT kind: a zero-width assertion (its {@link RegexNode.Assertion.Kind} ordinal). */
  static final int ASSERT = 5;
  /** MATCH: the end of the pattern, or of a lookaround's or atomic group's body. */
  static final int MATCH = 6;
  /** BACKREF group ignoreCase. */
  static final int BACKREF = 7;
  /** IF group else: on to the next instruction when the group has matched, else to else. */
  static final int IF = 8;
  /** LOOK flags body next width: lookaround or atomic group; body ends in MATCH. */
  static final int LOOK = 9;
  /** LOOP k min max mode literal: a repeat of class k; literal is the next CHAR's, or -1. */
  static final int LOOP = 10;
  /**
   * PROGRESS register exit: where a turn of a repeat matched empty (the position is the one
   * saved at its start), goes on at exit, after the repeat.
   */
  static final int PROGRESS = 11;
  /**
   * FOLD c: one code point whose case fold is c (an IGNORECASE literal, matched as Java's
   * {@code (?iu)} does: lower case of the upper case).
   */
  static final int FOLD = 12;

  static final int LOOK_NEGATIVE = 1;
  static final int LOOK_BEHIND = 2;
  static final int LOOK_ATOMIC = 4;

  static final int GREEDY = 0;
  static final int LAZY = 1;
  static final int POSSESSIVE = 2;

  /** Past this size the pattern is left to java.util.regex (huge counted repeats). */
  private static final int MAX_CODE = 1 << 16;

  /** Thrown for a pattern this engine does not take; the caller uses another. */
  static final class TooComplex extends Exception {
    TooComplex(String why) {
      super(why, null, false, false);
    }
  }

  static BacktrackProgram compile(RegexNode root, int groupCount, boolean anchored)
      throws TooComplex {
    Compiler compiler = new Compiler(groupCount);
    compiler.emit(root);
    compiler.op(MATCH);
    compiler.linkLiterals();
    int[] code = compiler.code();
    long[] latin1 = new long[4 * compiler.sets.size()];
    for (int k = 0; k < compiler.sets.size(); k++) {
      for (int c = 0; c < 256; c++) {
        if (compiler.sets.get(k).contains(c)) {
          latin1[(k << 2) | (c >>> 6)] |= 1L << c;
        }
      }
    }
    return new BacktrackProgram(code, latin1, compiler.sets.toArray(CharSet[]::new), groupCount,
        compiler.registers, firstChar(code), anchored);
  }

  /** The character every match starts with, where the program begins with one; else -1. */
  private static int firstChar(int[] code) {
    int pc = 0;
    while (code[pc] == SAVE) {
      pc += 2;
    }
    return code[pc] == CHAR ? code[pc + 1] : -1;
  }

  private static final class Compiler {
    private int[] code = new int[256];
    private int size;
    private final List<CharSet> sets = new ArrayList<>();
    private final Map<CharSet, Integer> setIndex = new HashMap<>();
    private final int groupSlots;
    private int registers;

    Compiler(int groupCount) {
      this.groupSlots = 2 * (groupCount + 1);
    }

    int[] code() {
      return java.util.Arrays.copyOf(code, size);
    }

    int op(int... words) throws TooComplex {
      if (size + words.length > MAX_CODE) {
        throw new TooComplex("program too large");
      }
      if (size + words.length > code.length) {
        code = java.util.Arrays.copyOf(code, Math.max(2 * code.length, size + words.length));
      }
      int at = size;
      for (int word : words) {
        code[size++] = word;
      }
      return at;
    }

    void emit(RegexNode node) throws TooComplex {
      CharSet single = singleChar(node);
      if (single != null) {
        if (single.explicit() && single.rangeCount() == 1 && single.from(0) == single.to(0)
            && isPlainChar(single.from(0))) {
          op(CHAR, single.from(0));
        } else {
          op(CLASS, classOf(single));
        }
      } else if (node instanceof RegexNode.Literal literal) {
        op(FOLD, fold(literal.codePoint()));
      } else if (node instanceof RegexNode.Assertion assertion) {
        op(ASSERT, assertion.kind().ordinal());
      } else if (node instanceof RegexNode.Concat concat) {
        for (RegexNode item : concat.items()) {
          emit(item);
        }
      } else if (node instanceof RegexNode.Alternation alternation) {
        alternation(alternation.branches());
      } else if (node instanceof RegexNode.Repeat repeat) {
        repeat(repeat);
      } else if (node instanceof RegexNode.Group group) {
        group(group);
      } else if (node instanceof RegexNode.Backreference reference) {
        op(BACKREF, reference.group(), reference.ignoreCase() ? 1 : 0);
      } else if (node instanceof RegexNode.Lookaround look) {
        int width = 0;
        if (!look.ahead()) {
          width = fixedWidth(look.body());
          if (width < 0) {
            throw new TooComplex("lookbehind of variable width");
          }
        }
        look((look.negative() ? LOOK_NEGATIVE : 0) | (look.ahead() ? 0 : LOOK_BEHIND),
            look.body(), width);
      } else if (node instanceof RegexNode.Conditional conditional) {
        int test = op(IF, conditional.group(), 0);
        emit(conditional.yes());
        int jump = op(JUMP, 0);
        code[test + 2] = size;
        emit(conditional.no());
        code[jump + 1] = size;
      } else if (!(node instanceof RegexNode.Empty)) {
        throw new IllegalStateException("unknown regex node " + node);
      }
    }

    private void alternation(List<RegexNode> branches) throws TooComplex {
      List<Integer> exits = new ArrayList<>();
      for (int i = 0; i < branches.size() - 1; i++) {
        int split = op(SPLIT, size + 3, 0);
        emit(branches.get(i));
        exits.add(op(JUMP, 0));
        code[split + 2] = size;
      }
      emit(branches.get(branches.size() - 1));
      for (int exit : exits) {
        code[exit + 1] = size;
      }
    }

    private void group(RegexNode.Group group) throws TooComplex {
      if (group.atomic()) {
        look(LOOK_ATOMIC, group.capturing() ? new RegexNode.Group(group.body(), group.index(),
            group.name(), false) : group.body(), 0);
        return;
      }
      if (group.capturing()) {
        op(SAVE, 2 * group.index());
      }
      emit(group.body());
      if (group.capturing()) {
        op(SAVE, 2 * group.index() + 1);
      }
    }

    private void look(int flags, RegexNode body, int width) throws TooComplex {
      int look = op(LOOK, flags, size + 5, 0, width);
      emit(body);
      op(MATCH);
      code[look + 3] = size;
    }

    private void repeat(RegexNode.Repeat repeat) throws TooComplex {
      int max = repeat.max() < 0 ? Integer.MAX_VALUE : repeat.max();
      int mode = switch (repeat.mode()) {
        case GREEDY -> GREEDY;
        case LAZY -> LAZY;
        case POSSESSIVE -> POSSESSIVE;
      };
      CharSet single = singleChar(repeat.body());
      if (single != null) {
        op(LOOP, classOf(single), repeat.min(), max, mode, -1);
        return;
      }
      if (mode == POSSESSIVE) {
        look(LOOK_ATOMIC, new RegexNode.Repeat(repeat.body(), repeat.min(), repeat.max(),
            RegexNode.Repeat.Mode.GREEDY), 0);
        return;
      }
      for (int i = 0; i < repeat.min(); i++) {
        emit(repeat.body());
      }
      // Python's sre takes no further turn after one that matched empty (past the minimum), it
      // goes on with what follows the repeat. A body that can match empty saves where each turn
      // starts, for PROGRESS to tell.
      boolean lazy = mode == LAZY;
      int register = minWidth(repeat.body()) == 0 ? groupSlots + registers++ : -1;
      List<Integer> exits = new ArrayList<>();
      if (max == Integer.MAX_VALUE) {
        // L: SPLIT body exit; body; JUMP L
        int loop = op(SPLIT, 0, 0);
        exits.add(loop + (lazy ? 1 : 2));
        code[loop + (lazy ? 2 : 1)] = size;
        turn(repeat.body(), register, exits);
        op(JUMP, loop);
      } else {
        for (int i = repeat.min(); i < max; i++) {
          int split = op(SPLIT, 0, 0);
          exits.add(split + (lazy ? 1 : 2));
          code[split + (lazy ? 2 : 1)] = size;
          turn(repeat.body(), register, exits);
        }
      }
      for (int exit : exits) {
        code[exit] = size;
      }
    }

    /** One optional turn of a repeat; where it may match empty, checked by PROGRESS. */
    private void turn(RegexNode body, int register, List<Integer> exits) throws TooComplex {
      if (register < 0) {
        emit(body);
        return;
      }
      op(SAVE, register);
      emit(body);
      exits.add(op(PROGRESS, register, 0) + 2);
    }

    /**
     * Tells each LOOP the character the instruction after it must read, where that is a CHAR
     * (past SAVEs, which read nothing); a loop whose class cannot hold it never gives back.
     */
    void linkLiterals() {
      for (int pc = 0; pc < size; pc += length(code[pc])) {
        if (code[pc] != LOOP) {
          continue;
        }
        int next = pc + length(LOOP);
        while (code[next] == SAVE) {
          next += 2;
        }
        if (code[next] == CHAR) {
          int literal = code[next + 1];
          code[pc + 5] = literal;
          if (code[pc + 4] == GREEDY && !sets.get(code[pc + 1]).contains(literal)) {
            code[pc + 4] = POSSESSIVE;
          }
        }
      }
    }

    private int classOf(CharSet set) {
      return setIndex.computeIfAbsent(set, key -> {
        sets.add(key);
        return sets.size() - 1;
      });
    }
  }

  /** Instruction length, opcode included. */
  static int length(int opcode) {
    return switch (opcode) {
      case MATCH -> 1;
      case CHAR, CLASS, JUMP, SAVE, ASSERT, FOLD -> 2;
      case SPLIT, BACKREF, IF, PROGRESS -> 3;
      case LOOK -> 5;
      case LOOP -> 6;
      default -> throw new IllegalStateException("opcode " + opcode);
    };
  }

  private static boolean isPlainChar(int codePoint) {
    return codePoint < Character.MIN_SUPPLEMENTARY_CODE_POINT
        && !Character.isSurrogate((char) codePoint);
  }

  private static final CharSet ALL = CharSet.range(0, CharSet.MAX);
  private static final CharSet ALL_BUT_NEWLINE = CharSet.single('\n').complement();

  /** The case fold that IGNORECASE compares. */
  static int fold(int codePoint) {
    return Character.toLowerCase(Character.toUpperCase(codePoint));
  }

  /**
   * The class of a node that reads exactly one code point, else null; an IGNORECASE literal is
   * no class (it compares case folds, {@link #FOLD}).
   */
  static CharSet singleChar(RegexNode node) {
    if (node instanceof RegexNode.Literal literal) {
      return literal.ignoreCase() ? null : CharSet.single(literal.codePoint());
    }
    if (node instanceof RegexNode.CharClass charClass) {
      return charClass.set();
    }
    if (node instanceof RegexNode.AnyChar any) {
      return any.dotAll() ? ALL : ALL_BUT_NEWLINE;
    }
    if (node instanceof RegexNode.Group group && !group.capturing() && !group.atomic()) {
      return singleChar(group.body());
    }
    if (node instanceof RegexNode.Concat concat && concat.items().size() == 1) {
      return singleChar(concat.items().get(0));
    }
    return null;
  }

  /** The fewest code points a node can match (a backreference: none). */
  static int minWidth(RegexNode node) {
    return PythonRegexParser.width(node, group -> PythonRegexParser.UNKNOWN_WIDTH)[0];
  }

  /** The code points a node always matches, or -1 when that varies (Python's lookbehind rule). */
  static int fixedWidth(RegexNode node) {
    int[] width = PythonRegexParser.width(node, group -> PythonRegexParser.UNKNOWN_WIDTH);
    return width[0] == width[1] ? width[0] : -1;
  }
}
