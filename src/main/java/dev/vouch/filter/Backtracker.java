package dev.vouch.filter;

import static dev.vouch.filter.BacktrackProgram.ASSERT;
import static dev.vouch.filter.BacktrackProgram.BACKREF;
import static dev.vouch.filter.BacktrackProgram.CHAR;
import static dev.vouch.filter.BacktrackProgram.CLASS;
import static dev.vouch.filter.BacktrackProgram.FOLD;
import static dev.vouch.filter.BacktrackProgram.GREEDY;
import static dev.vouch.filter.BacktrackProgram.IF;
import static dev.vouch.filter.BacktrackProgram.JUMP;
import static dev.vouch.filter.BacktrackProgram.LAZY;
import static dev.vouch.filter.BacktrackProgram.LOOK;
import static dev.vouch.filter.BacktrackProgram.LOOK_ATOMIC;
import static dev.vouch.filter.BacktrackProgram.LOOK_BEHIND;
import static dev.vouch.filter.BacktrackProgram.LOOK_NEGATIVE;
import static dev.vouch.filter.BacktrackProgram.LOOP;
import static dev.vouch.filter.BacktrackProgram.MATCH;
import static dev.vouch.filter.BacktrackProgram.PROGRESS;
import static dev.vouch.filter.BacktrackProgram.SAVE;
import static dev.vouch.filter.BacktrackProgram.SPLIT;

import java.util.Arrays;

/**
 * Runs a {@link BacktrackProgram} over a line with Python's backtracking semantics, counting its
 * steps: past the budget it stops with {@link BudgetedText.OverBudget}. One loop over an int
 * array and a char array, with no call per character: under the quick JIT that a short-lived
 * command runs with, about twice as fast as java.util.regex's graph of node objects on
 * fail2ban's sshd regexes (which also ran through a counting view of the line). Longer than a
 * class here usually is: the loop has to stay one method to be fast, and what it calls works
 * on the same stack. {@code BacktrackerOracleTest} holds it to Python's own {@code re}.
 *
 * <p>Thread-safe: each thread runs on its own {@link Run}.
 */
final class Backtracker {
  // Kinds of entries on the backtrack stack, four ints each: kind and three operands.
  /** BRANCH pc pos: resume at pc, pos. */
  private static final int BRANCH = 0;
  /** RESTORE slot value: undo a SAVE. */
  private static final int RESTORE = 1;
  /** GIVE_BACK loop floor pos: a greedy loop that may end one code point earlier. */
  private static final int GIVE_BACK = 2;
  /** TAKE_MORE loop pos count: a lazy loop that may read one more code point. */
  private static final int TAKE_MORE = 3;

  private static final RegexNode.Assertion.Kind[] KINDS = RegexNode.Assertion.Kind.values();
  /** What a thread's state keeps between searches at most: 8 KB of line, 16 KB of stack. */
  private static final int SMALL_TEXT = 4096;
  private static final int SMALL_STACK = 4096;
  private static final CharSet WORD = CharSet.category('w', false);

  private final BacktrackProgram program;
  private final ThreadLocal<Run> runs;
  /**
   * The last few threads' states, found by thread id before asking the ThreadLocal, whose
   * look-up is a call into the VM under C1 (1.5 % of test-filter's time). Any thread may write
   * a slot; an entry is immutable, so a thread finds its own state or none.
   */
  private final Owned[] recent = new Owned[4];

  private record Owned(long thread, Run run) {}

  Backtracker(BacktrackProgram program) {
    this.program = program;
    this.runs = ThreadLocal.withInitial(() -> new Run(program));
  }

  /** This thread's state. */
  private Run run() {
    long self = Thread.currentThread().getId(); // ids are never reused
    Owned[] slots = recent;
    for (Owned owned : slots) {
      if (owned != null && owned.thread() == self) {
        return owned.run();
      }
    }
    Run run = runs.get();
    slots[(int) (self & (slots.length - 1))] = new Owned(self, run);
    return run;
  }

  /**
   * The first match in {@code text} (Python's {@code re.search}), or null; bounds by Python's
   * group numbers.
   *
   * @throws BudgetedText.OverBudget past {@code budget} steps
   */
  RegexMatch search(CharSequence text, int budget) {
    Run run = run();
    run.load(text, budget);
    int[] bounds;
    try {
      bounds = run.search();
    } finally {
      run.shrink();
    }
    return bounds == null ? null : new RegexEngine.Match(text, bounds);
  }

  /** One thread's state: the line as chars, group bounds and loop registers, and the stack. */
  private static final class Run {
    private final BacktrackProgram program;
    private final int[] code;
    private final long[] latin1;
    private char[] text = new char[256];
    private int end;
    private final int[] slots;
    private int[] stack = new int[256];
    private int sp;
    private int budget;
    /** Where the last successful {@link #run} ended. */
    private int matchEnd;

    Run(BacktrackProgram program) {
      this.program = program;
      this.code = program.code();
      this.latin1 = program.latin1();
      this.slots = new int[2 * (program.groupCount() + 1) + program.registers()];
    }

    void load(CharSequence line, int budget) {
      end = line.length();
      if (text.length < end) {
        text = new char[Math.max(end, 2 * text.length)];
      }
      if (line instanceof String string) {
        string.getChars(0, end, text, 0);
      } else if (line instanceof RegexText view) {
        view.getChars(text);
      } else {
        for (int i = 0; i < end; i++) {
          text[i] = line.charAt(i);
        }
      }
      this.budget = budget;
    }

    /**
     * Lets go of what a long line or a deep search grew: a thread keeps one of these per regex,
     * and one hostile line must not leave megabytes behind in each.
     */
    void shrink() {
      if (text.length > SMALL_TEXT) {
        text = new char[256];
      }
      if (stack.length > SMALL_STACK) {
        stack = new int[256];
      }
    }

    int[] search() {
      int first = program.firstChar();
      for (int start = 0; start <= end; start++) {
        if (first >= 0) {
          while (start < end && text[start] != first) {
            start++;
          }
          if (start == end) {
            return null;
          }
        } else if (start > 0 && start < end && Character.isLowSurrogate(text[start])
            && Character.isHighSurrogate(text[start - 1])) {
          continue; // Python's positions are code points
        }
        Arrays.fill(slots, -1);
        sp = 0;
        if (run(0, start, -1)) {
          int[] bounds = Arrays.copyOf(slots, 2 * (program.groupCount() + 1));
          bounds[0] = start;
          bounds[1] = matchEnd;
          return bounds;
        }
        if (program.anchored()) {
          return null;
        }
        budget--;
      }
      return null;
    }

    /**
     * Runs from {@code pc} at {@code pos} to a MATCH (at {@code mustEnd}, unless that is -1):
     * true with {@link #matchEnd} set and the stack above where it was left for the caller.
     */
    private boolean run(int pc, int pos, int mustEnd) {
      final int[] code = this.code;
      final char[] text = this.text;
      final int end = this.end;
      final int base = sp;
      while (true) {
        if (--budget < 0) {
          throw new BudgetedText.OverBudget();
        }
        switch (code[pc]) {
          case CHAR:
            if (pos < end && text[pos] == code[pc + 1]) {
              pos++;
              pc += 2;
              continue;
            }
            break;
          case CLASS: {
            int width = width(code[pc + 1], pos);
            if (width > 0) {
              pos += width;
              pc += 2;
              continue;
            }
            break;
          }
          case FOLD:
            if (pos < end) {
              int codePoint = Character.codePointAt(text, pos, end);
              int folded = code[pc + 1];
              if (codePoint == folded || BacktrackProgram.fold(codePoint) == folded) {
                pos += Character.charCount(codePoint);
                pc += 2;
                continue;
              }
            }
            break;
          case LOOP: {
            int k = code[pc + 1];
            int min = code[pc + 2];
            int max = code[pc + 3];
            int count = 0;
            while (count < min) {
              int width = width(k, pos);
              if (width == 0) {
                break;
              }
              pos += width;
              count++;
            }
            if (count < min) {
              break;
            }
            if (code[pc + 4] == LAZY) {
              if (count < max) {
                push(TAKE_MORE, pc, pos, count);
              }
              pc += 6;
              continue;
            }
            int floor = pos;
            int kBase = k << 2;
            while (count < max && pos < end) {
              char c = text[pos];
              if (c < 256) {
                if ((latin1[kBase | (c >>> 6)] & (1L << c)) == 0) {
                  break;
                }
                pos++;
              } else {
                int width = width(k, pos);
                if (width == 0) {
                  break;
                }
                pos += width;
              }
              count++;
            }
            budget -= count;
            if (code[pc + 4] == GREEDY && pos > floor) {
              push(GIVE_BACK, pc, floor, pos);
            }
            pc += 6;
            continue;
          }
          case SPLIT:
            push(BRANCH, code[pc + 2], pos, 0);
            pc = code[pc + 1];
            continue;
          case JUMP:
            pc = code[pc + 1];
            continue;
          case SAVE: {
            int slot = code[pc + 1];
            push(RESTORE, slot, slots[slot], 0);
            slots[slot] = pos;
            pc += 2;
            continue;
          }
          case PROGRESS:
            pc = slots[code[pc + 1]] == pos ? code[pc + 2] : pc + 3;
            continue;
          case ASSERT:
            if (holds(KINDS[code[pc + 1]], pos)) {
              pc += 2;
              continue;
            }
            break;
          case BACKREF: {
            int length = backreference(code[pc + 1], code[pc + 2] != 0, pos);
            if (length >= 0) {
              pos += length;
              pc += 3;
              continue;
            }
            break;
          }
          case IF: {
            int group = code[pc + 1];
            int from = slots[2 * group];
            int to = slots[2 * group + 1];
            pc = from >= 0 && to >= from ? pc + 3 : code[pc + 2];
            continue;
          }
          case LOOK: {
            int after = look(code[pc + 1], code[pc + 2], code[pc + 4], pos);
            if (after >= 0) {
              pos = after;
              pc = code[pc + 3];
              continue;
            }
            break;
          }
          case MATCH:
            if (mustEnd < 0 || pos == mustEnd) {
              matchEnd = pos;
              return true;
            }
            break;
          default:
            throw new IllegalStateException("opcode " + code[pc] + " at " + pc);
        }
        // The instruction failed: resume at the latest choice left, undoing saves on the way.
        resume:
        while (true) {
          if (sp == base) {
            return false;
          }
          int top = sp - 4;
          int[] stack = this.stack;
          switch (stack[top]) {
            case RESTORE:
              slots[stack[top + 1]] = stack[top + 2];
              sp = top;
              break;
            case BRANCH:
              pc = stack[top + 1];
              pos = stack[top + 2];
              sp = top;
              break resume;
            case GIVE_BACK: {
              int loop = stack[top + 1];
              int floor = stack[top + 2];
              int at = back(stack[top + 3]);
              int literal = code[loop + 5];
              if (literal >= 0) {
                while (at > floor && text[at] != literal) {
                  at = back(at);
                  budget--;
                }
                if (text[at] != literal) {
                  sp = top;
                  break;
                }
              }
              if (at == floor) {
                sp = top;
              } else {
                stack[top + 3] = at;
              }
              pc = loop + 6;
              pos = at;
              break resume;
            }
            case TAKE_MORE: {
              int loop = stack[top + 1];
              int at = stack[top + 2];
              int count = stack[top + 3];
              int width = width(code[loop + 1], at);
              if (width == 0) {
                sp = top;
                break;
              }
              if (++count < code[loop + 3]) {
                stack[top + 2] = at + width;
                stack[top + 3] = count;
              } else {
                sp = top;
              }
              pc = loop + 6;
              pos = at + width;
              break resume;
            }
            default:
              throw new IllegalStateException("stack entry " + stack[top]);
          }
        }
      }
    }

    /**
     * A lookaround or atomic group at {@code pos}: the position to go on from, or -1 where it
     * fails. What a positive one captured stays, undone like any save on backtracking.
     */
    private int look(int flags, int body, int width, int pos) {
      int saved = sp;
      int start = pos;
      if ((flags & LOOK_BEHIND) != 0) {
        for (int i = 0; i < width && start >= 0; i++) {
          start = start == 0 ? -1 : back(start);
        }
      }
      boolean matched = start >= 0
          && run(body, start, (flags & LOOK_BEHIND) != 0 ? pos : -1);
      if ((flags & LOOK_NEGATIVE) != 0) {
        if (!matched) {
          return pos;
        }
        while (sp > saved) { // undo what the body captured
          sp -= 4;
          if (stack[sp] == RESTORE) {
            slots[stack[sp + 1]] = stack[sp + 2];
          }
        }
        return -1;
      }
      if (!matched) {
        return -1;
      }
      // Keep the body's saves (to undo on backtracking), drop its choices: it matched once.
      int kept = saved;
      for (int entry = saved; entry < sp; entry += 4) {
        if (stack[entry] == RESTORE) {
          System.arraycopy(stack, entry, stack, kept, 4);
          kept += 4;
        }
      }
      sp = kept;
      return (flags & LOOK_ATOMIC) != 0 ? matchEnd : pos;
    }

    /** The length of group {@code group}'s text matched again at {@code pos}, or -1. */
    private int backreference(int group, boolean ignoreCase, int pos) {
      int from = slots[2 * group];
      int to = slots[2 * group + 1];
      if (from < 0 || to < from) {
        return -1;
      }
      int length = to - from;
      if (pos + length > end) {
        return -1;
      }
      for (int i = 0; i < length; i++) {
        char a = text[from + i];
        char b = text[pos + i];
        if (a != b && (!ignoreCase || BacktrackProgram.fold(a) != BacktrackProgram.fold(b))) {
          return -1;
        }
      }
      budget -= length;
      return length;
    }

    private boolean holds(RegexNode.Assertion.Kind kind, int pos) {
      return switch (kind) {
        case BEGIN_TEXT -> pos == 0;
        case BEGIN_LINE -> pos == 0 || text[pos - 1] == '\n';
        case END_TEXT_OR_FINAL_NEWLINE -> pos == end || (pos == end - 1 && text[pos] == '\n');
        case END_LINE -> pos == end || text[pos] == '\n';
        case END_TEXT -> pos == end;
        // Python's sre: neither holds in an empty text.
        case WORD_BOUNDARY -> end > 0 && wordBefore(pos) != wordAt(pos);
        case NOT_WORD_BOUNDARY -> end > 0 && wordBefore(pos) == wordAt(pos);
      };
    }

    private boolean wordBefore(int pos) {
      return pos > 0 && WORD.contains(Character.codePointBefore(text, pos));
    }

    private boolean wordAt(int pos) {
      return pos < end && WORD.contains(Character.codePointAt(text, pos, end));
    }

    /** The chars the code point at {@code pos} takes when class {@code k} holds it, else 0. */
    private int width(int k, int pos) {
      if (pos >= end) {
        return 0;
      }
      char c = text[pos];
      if (c < 256) {
        return (latin1[(k << 2) | (c >>> 6)] & (1L << c)) != 0 ? 1 : 0;
      }
      int codePoint = c;
      int width = 1;
      if (Character.isHighSurrogate(c) && pos + 1 < end
          && Character.isLowSurrogate(text[pos + 1])) {
        codePoint = Character.toCodePoint(c, text[pos + 1]);
        width = 2;
      }
      return program.sets()[k].contains(codePoint) ? width : 0;
    }

    /** The position one code point before {@code pos}. */
    private int back(int pos) {
      return pos > 1 && Character.isLowSurrogate(text[pos - 1])
          && Character.isHighSurrogate(text[pos - 2]) ? pos - 2 : pos - 1;
    }

    private void push(int kind, int a, int b, int c) {
      if (sp + 4 > stack.length) {
        stack = Arrays.copyOf(stack, 2 * stack.length);
      }
      stack[sp] = kind;
      stack[sp + 1] = a;
      stack[sp + 2] = b;
      stack[sp + 3] = c;
      sp += 4;
    }
  }
}
