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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Parses Python 3.11 {@code re} syntax into a {@link RegexNode} tree, with the same errors Python
 * raises (bad escapes, unterminated groups, unknown group names, ...). Flags are resolved while
 * parsing: each literal, class and anchor carries the flags in force where it was written.
 *
 * <p>Instances are single-use and confined to one thread.
 */
final class PythonRegexParser {
  static final int IGNORECASE = 1;
  static final int MULTILINE = 2;
  static final int DOTALL = 4;
  static final int VERBOSE = 8;
  static final int ASCII = 16;

  /** The parsed pattern. */
  record Parsed(RegexNode root, Map<String, Integer> groupNames, int groupCount) {}

  private final String pattern;
  private int pos;
  private int flags;
  private int groupCount;
  private final Map<String, Integer> groupNames = new LinkedHashMap<>();
  private final List<Integer> openGroups = new ArrayList<>();
  /** The width of a group whose width is not known: any. */
  static final int[] UNKNOWN_WIDTH = {0, Integer.MAX_VALUE};

  /** The width of each closed group, for a backreference inside a look-behind. */
  private final Map<Integer, int[]> groupWidths = new java.util.HashMap<>();

  private PythonRegexParser(String pattern, int flags) {
    this.pattern = pattern;
    this.flags = flags;
  }

  /** Parses {@code pattern} under the initial {@code flags} (e.g. {@link #MULTILINE}). */
  static Parsed parse(String pattern, int flags) {
    PythonRegexParser parser = new PythonRegexParser(pattern, flags);
    RegexNode root = parser.parseAlternation(true);
    if (parser.pos < pattern.length()) {
      throw parser.error(pattern.charAt(parser.pos) == ')' ? "unbalanced parenthesis" : "unexpected character");
    }
    return new Parsed(root, Map.copyOf(parser.groupNames), parser.groupCount);
  }

  /** {@link #width(RegexNode, IntFunction)} with the widths of the groups closed so far. */
  private int[] width(RegexNode node) {
    return width(node, group -> groupWidths.getOrDefault(group, UNKNOWN_WIDTH));
  }

  /**
   * The least and most characters {@code node} can match, as Python's {@code getwidth}
   * (unbounded is {@link Integer#MAX_VALUE}): a look-behind must have one width. A
   * backreference is as wide as {@code groupWidth} says its group is.
   */
  static int[] width(RegexNode node, IntFunction<int[]> groupWidth) {
    if (node instanceof Literal || node instanceof CharClass || node instanceof AnyChar) {
      return new int[] {1, 1};
    }
    if (node instanceof Concat concat) {
      long low = 0;
      long high = 0;
      for (RegexNode item : concat.items()) {
        int[] part = width(item, groupWidth);
        low += part[0];
        high += part[1];
      }
      return new int[] {(int) Math.min(low, Integer.MAX_VALUE),
          (int) Math.min(high, Integer.MAX_VALUE)};
    }
    if (node instanceof Alternation alternation) {
      int low = Integer.MAX_VALUE;
      int high = 0;
      for (RegexNode branch : alternation.branches()) {
        int[] part = width(branch, groupWidth);
        low = Math.min(low, part[0]);
        high = Math.max(high, part[1]);
      }
      return new int[] {low, high};
    }
    if (node instanceof Repeat repeat) {
      int[] part = width(repeat.body(), groupWidth);
      long low = (long) part[0] * repeat.min();
      long high = repeat.max() < 0 ? Integer.MAX_VALUE : (long) part[1] * repeat.max();
      return new int[] {(int) Math.min(low, Integer.MAX_VALUE),
          (int) Math.min(high, Integer.MAX_VALUE)};
    }
    if (node instanceof Group group) {
      return width(group.body(), groupWidth);
    }
    if (node instanceof Backreference reference) {
      return groupWidth.apply(reference.group());
    }
    if (node instanceof Conditional conditional) {
      int[] yes = width(conditional.yes(), groupWidth);
      int[] no = width(conditional.no(), groupWidth);
      return new int[] {Math.min(yes[0], no[0]), Math.max(yes[1], no[1])};
    }
    return new int[] {0, 0}; // assertions, lookarounds, empty
  }

  private RegexSyntaxException error(String message) {
    return new RegexSyntaxException(message, pattern, pos);
  }

  private boolean more() {
    return pos < pattern.length();
  }

  private char peek() {
    return pattern.charAt(pos);
  }

  private boolean accept(char c) {
    if (more() && peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private RegexNode parseAlternation(boolean topLevel) {
    List<RegexNode> branches = new ArrayList<>();
    int savedFlags = flags;
    branches.add(parseSequence(topLevel));
    while (accept('|')) {
      branches.add(parseSequence(false));
    }
    if (!topLevel) {
      flags = savedFlags;
    }
    return branches.size() == 1 ? branches.get(0) : new Alternation(branches);
  }

  private RegexNode parseSequence(boolean first) {
    List<RegexNode> items = new ArrayList<>();
    while (more()) {
      char c = peek();
      if (c == '|' || c == ')') {
        break;
      }
      pos++;
      if ((flags & VERBOSE) != 0) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b) {
          continue;
        }
        if (c == '#') {
          while (more() && pattern.charAt(pos++) != '\n') {
            // skip the comment
          }
          continue;
        }
      }
      switch (c) {
        case '\\' -> items.add(parseEscape());
        case '[' -> items.add(parseClass());
        case '.' -> items.add(new AnyChar((flags & DOTALL) != 0));
        case '^' -> items.add(new Assertion((flags & MULTILINE) != 0
            ? Assertion.Kind.BEGIN_LINE : Assertion.Kind.BEGIN_TEXT));
        case '$' -> items.add(new Assertion((flags & MULTILINE) != 0
            ? Assertion.Kind.END_LINE : Assertion.Kind.END_TEXT_OR_FINAL_NEWLINE));
        case '*', '+', '?' -> applyRepeat(items, c == '+' ? 1 : 0, c == '?' ? 1 : -1);
        case '{' -> {
          int[] bounds = parseBounds();
          if (bounds == null) {
            items.add(literal('{'));
          } else {
            applyRepeat(items, bounds[0], bounds[1]);
          }
        }
        case '(' -> {
          RegexNode group = parseGroup(first && items.isEmpty());
          if (group != null) {
            items.add(group);
          }
        }
        default -> {
          if (Character.isHighSurrogate(c) && more() && Character.isLowSurrogate(peek())) {
            items.add(literal(Character.toCodePoint(c, pattern.charAt(pos++))));
          } else {
            items.add(literal(c));
          }
        }
      }
    }
    if (items.isEmpty()) {
      return new Empty();
    }
    return items.size() == 1 ? items.get(0) : new Concat(items);
  }

  private Literal literal(int codePoint) {
    return new Literal(codePoint, (flags & IGNORECASE) != 0);
  }

  /** {@code {m,n}} after the '{'; null (and position restored) when it is a literal brace. */
  private int[] parseBounds() {
    int start = pos;
    if (more() && peek() == '}') {
      return null;
    }
    int min = 0;
    int max = -1;
    String low = digits();
    String high;
    if (accept(',')) {
      high = digits();
    } else {
      high = low;
    }
    if (!accept('}')) {
      pos = start;
      return null;
    }
    if (!low.isEmpty()) {
      min = parseCount(low);
    }
    if (!high.isEmpty()) {
      max = parseCount(high);
      if (max < min) {
        throw error("min repeat greater than max repeat");
      }
    }
    return new int[] {min, max};
  }

  private int parseCount(String digits) {
    try {
      int value = Integer.parseInt(digits);
      if (value >= 0xffff_ffffL) {
        throw error("the repetition number is too large");
      }
      return value;
    } catch (NumberFormatException e) {
      throw error("the repetition number is too large");
    }
  }

  private String digits() {
    int start = pos;
    while (more() && peek() >= '0' && peek() <= '9') {
      pos++;
    }
    return pattern.substring(start, pos);
  }

  private void applyRepeat(List<RegexNode> items, int min, int max) {
    if (items.isEmpty() || items.get(items.size() - 1) instanceof Assertion) {
      throw error("nothing to repeat");
    }
    RegexNode last = items.get(items.size() - 1);
    if (last instanceof Repeat) {
      throw error("multiple repeat");
    }
    Repeat.Mode mode = accept('?') ? Repeat.Mode.LAZY
        : accept('+') ? Repeat.Mode.POSSESSIVE : Repeat.Mode.GREEDY;
    items.set(items.size() - 1, new Repeat(last, min, max, mode));
  }

  /** After '(': a group, or null for a comment or global flags. */
  private RegexNode parseGroup(boolean atStart) {
    int start = pos - 1;
    String name = null;
    boolean capture = true;
    boolean atomic = false;
    int savedFlags = flags;
    if (accept('?')) {
      if (!more()) {
        throw error("unexpected end of pattern");
      }
      char kind = pattern.charAt(pos++);
      switch (kind) {
        case 'P' -> {
          if (accept('<')) {
            name = until('>', "group name");
            checkGroupName(name);
          } else if (accept('=')) {
            String ref = until(')', "group name");
            checkGroupName(ref);
            Integer group = groupNames.get(ref);
            if (group == null) {
              throw error("unknown group name '" + ref + "'");
            }
            if (openGroups.contains(group)) {
              throw error("cannot refer to an open group");
            }
            return new Backreference(group, (flags & IGNORECASE) != 0);
          } else {
            throw error("unknown extension ?P" + (more() ? peek() : ""));
          }
        }
        case ':' -> capture = false;
        case '#' -> {
          while (true) {
            if (!more()) {
              throw error("missing ), unterminated comment");
            }
            if (pattern.charAt(pos++) == ')') {
              return null;
            }
          }
        }
        case '=', '!', '<' -> {
          boolean ahead = true;
          char sense = kind;
          if (kind == '<') {
            if (!more()) {
              throw error("unexpected end of pattern");
            }
            sense = pattern.charAt(pos++);
            if (sense != '=' && sense != '!') {
              throw error("unknown extension ?<" + sense);
            }
            ahead = false;
          }
          RegexNode body = parseAlternation(false);
          if (!ahead) {
            int[] width = width(body);
            if (width[0] != width[1]) {
              throw new RegexSyntaxException("look-behind requires fixed-width pattern", pattern,
                  start);
            }
          }
          expectClose(start);
          return new Lookaround(body, ahead, sense == '!');
        }
        case '(' -> {
          return parseConditional(start);
        }
        case '>' -> {
          capture = false;
          atomic = true;
        }
        default -> {
          if ("aiLmsux-".indexOf(kind) < 0) {
            throw error("unknown extension ?" + kind);
          }
          pos--;
          if (parseFlags(atStart)) {
            return null;
          }
          capture = false;
        }
      }
    }
    int index = 0;
    if (capture) {
      index = ++groupCount;
      if (name != null) {
        if (groupNames.containsKey(name)) {
          throw error("redefinition of group name '" + name + "' as group " + index
              + "; was group " + groupNames.get(name));
        }
        groupNames.put(name, index);
      }
      openGroups.add(index);
    }
    RegexNode body = parseAlternation(false);
    expectClose(start);
    flags = savedFlags;
    if (capture) {
      openGroups.remove(Integer.valueOf(index));
    }
    Group group = new Group(body, index, name, atomic);
    if (index > 0) {
      groupWidths.put(index, width(body));
    }
    return group;
  }

  /**
   * Flags after "(?": global ({@code (?i)}, only at the start; returns true) or scoped
   * ({@code (?i-m:...)}; sets the flags for the group that follows and returns false).
   */
  private boolean parseFlags(boolean atStart) {
    int add = 0;
    int remove = 0;
    while (more() && "aiLmsux".indexOf(peek()) >= 0) {
      add |= flagBit(pattern.charAt(pos++));
    }
    if (accept(')')) {
      if (!atStart) {
        throw error("global flags not at the start of the expression");
      }
      flags |= add;
      return true;
    }
    if (accept('-')) {
      while (more() && "imsx".indexOf(peek()) >= 0) {
        remove |= flagBit(pattern.charAt(pos++));
      }
      if (remove == 0) {
        throw error("missing flag");
      }
    }
    if (!accept(':')) {
      throw error(more() ? "unknown flag" : "missing :");
    }
    flags = (flags | add) & ~remove;
    return false;
  }

  private static int flagBit(char flag) {
    return switch (flag) {
      case 'i' -> IGNORECASE;
      case 'm' -> MULTILINE;
      case 's' -> DOTALL;
      case 'x' -> VERBOSE;
      case 'a' -> ASCII;
      default -> 0; // 'u' is the default for str patterns; 'L' is for bytes only
    };
  }

  private RegexNode parseConditional(int start) {
    String condition = until(')', "group name");
    int group;
    if (isIdentifier(condition)) {
      Integer named = groupNames.get(condition);
      if (named == null) {
        throw error("unknown group name '" + condition + "'");
      }
      group = named;
    } else {
      try {
        group = Integer.parseInt(condition);
      } catch (NumberFormatException e) {
        throw error("bad character in group name '" + condition + "'");
      }
      if (group <= 0) {
        throw error("bad group number");
      }
    }
    RegexNode yes = parseSequence(false);
    RegexNode no = new Empty();
    if (accept('|')) {
      no = parseSequence(false);
      if (more() && peek() == '|') {
        throw error("conditional backref with more than two branches");
      }
    }
    expectClose(start);
    return new Conditional(group, yes, no);
  }

  private void expectClose(int start) {
    if (!accept(')')) {
      pos = start;
      throw error("missing ), unterminated subpattern");
    }
  }

  private String until(char terminator, String what) {
    int end = pattern.indexOf(terminator, pos);
    if (end < 0) {
      throw error("missing " + terminator + ", unterminated name");
    }
    String text = pattern.substring(pos, end);
    if (text.isEmpty()) {
      throw error("missing " + what);
    }
    pos = end + 1;
    return text;
  }

  private void checkGroupName(String name) {
    if (!isIdentifier(name)) {
      throw error("bad character in group name '" + name + "'");
    }
  }

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || !(Character.isLetter(name.codePointAt(0)) || name.charAt(0) == '_')) {
      return false;
    }
    return name.codePoints().allMatch(cp -> Character.isLetterOrDigit(cp) || cp == '_');
  }

  private RegexNode parseEscape() {
    if (!more()) {
      throw error("bad escape (end of pattern)");
    }
    char c = pattern.charAt(pos++);
    switch (c) {
      case 'd', 'D', 'w', 'W', 's', 'S' -> {
        return new CharClass(CharSet.category(c, (flags & ASCII) != 0));
      }
      case 'A' -> {
        return new Assertion(Assertion.Kind.BEGIN_TEXT);
      }
      case 'Z' -> {
        return new Assertion(Assertion.Kind.END_TEXT);
      }
      case 'b' -> {
        return new Assertion(Assertion.Kind.WORD_BOUNDARY);
      }
      case 'B' -> {
        return new Assertion(Assertion.Kind.NOT_WORD_BOUNDARY);
      }
      default -> {
        if (c >= '1' && c <= '9') {
          return numericEscape(c);
        }
        return literal(escapedCodePoint(c, false));
      }
    }
  }

  /** {@code \1}..{@code \99} group reference, or a three-digit octal escape. */
  private RegexNode numericEscape(char first) {
    String escape = String.valueOf(first);
    if (more() && Character.isDigit(peek()) && peek() <= '9') {
      escape += pattern.charAt(pos++);
      if (isOctal(escape.charAt(0)) && isOctal(escape.charAt(1)) && more() && isOctal(peek())) {
        escape += pattern.charAt(pos++);
        int value = Integer.parseInt(escape, 8);
        if (value > 0377) {
          throw error("octal escape value \\" + escape + " outside of range 0-0o377");
        }
        return literal(value);
      }
    }
    int group = Integer.parseInt(escape);
    if (group > groupCount) {
      throw error("invalid group reference " + group);
    }
    if (openGroups.contains(group)) {
      throw error("cannot refer to an open group");
    }
    return new Backreference(group, (flags & IGNORECASE) != 0);
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  /** The code point of a literal escape (the character after the backslash already read). */
  private int escapedCodePoint(char c, boolean inClass) {
    switch (c) {
      case 'a':
        return 7;
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return 0x0b;
      case '\\':
        return '\\';
      case 'x':
        return hex(2);
      case 'u':
        return hex(4);
      case 'U': {
        int value = hex(8);
        if (value > Character.MAX_CODE_POINT) {
          throw error("bad escape \\U");
        }
        return value;
      }
      case 'N':
        throw error("named Unicode escapes (\\N{...}) are not supported");
      case '0': {
        int value = 0;
        for (int i = 0; i < 2 && more() && isOctal(peek()); i++) {
          value = value * 8 + (pattern.charAt(pos++) - '0');
        }
        return value;
      }
      default:
        if (inClass && isOctal(c)) {
          int value = c - '0';
          for (int i = 0; i < 2 && more() && isOctal(peek()); i++) {
            value = value * 8 + (pattern.charAt(pos++) - '0');
          }
          if (value > 0377) {
            throw error("octal escape value outside of range 0-0o377");
          }
          return value;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
          throw error("bad escape \\" + c);
        }
        if (Character.isHighSurrogate(c) && more() && Character.isLowSurrogate(peek())) {
          return Character.toCodePoint(c, pattern.charAt(pos++));
        }
        return c;
    }
  }

  private int hex(int digits) {
    if (pos + digits > pattern.length()) {
      throw error("incomplete escape");
    }
    int value = 0;
    for (int i = 0; i < digits; i++) {
      int digit = Character.digit(pattern.charAt(pos + i), 16);
      if (digit < 0 || pattern.charAt(pos + i) > 'f') {
        throw error("incomplete escape");
      }
      value = value * 16 + digit;
    }
    pos += digits;
    return value;
  }

  private RegexNode parseClass() {
    int start = pos - 1;
    boolean negate = accept('^');
    CharSet set = CharSet.EMPTY;
    boolean empty = true;
    while (true) {
      if (!more()) {
        pos = start;
        throw error("unterminated character set");
      }
      char c = pattern.charAt(pos++);
      if (c == ']' && !empty) {
        break;
      }
      empty = false;
      CharSet item;
      int low = -1;
      if (c == '\\') {
        if (!more()) {
          throw error("unterminated character set");
        }
        char e = pattern.charAt(pos++);
        if ("dDwWsS".indexOf(e) >= 0) {
          item = CharSet.category(e, (flags & ASCII) != 0);
        } else if (e == 'b') {
          low = '\b';
          item = null;
        } else if (e == 'A' || e == 'Z' || e == 'B') {
          throw error("bad escape \\" + e);
        } else {
          low = escapedCodePoint(e, true);
          item = null;
        }
      } else {
        low = c;
        if (Character.isHighSurrogate(c) && more() && Character.isLowSurrogate(peek())) {
          low = Character.toCodePoint(c, pattern.charAt(pos++));
        }
        item = null;
      }
      if (more() && peek() == '-' && pos + 1 < pattern.length()) {
        pos++;
        char next = pattern.charAt(pos++);
        if (next == ']') {
          set = set.union(item != null ? item : CharSet.single(low)).union(CharSet.single('-'));
          break;
        }
        int high;
        if (next == '\\') {
          if (!more()) {
            throw error("unterminated character set");
          }
          char e = pattern.charAt(pos++);
          if ("dDwWsS".indexOf(e) >= 0) {
            throw error("bad character range");
          }
          high = e == 'b' ? '\b' : escapedCodePoint(e, true);
        } else {
          high = next;
        }
        if (item != null || high < low) {
          throw error("bad character range");
        }
        set = set.union(CharSet.range(low, high));
      } else {
        set = set.union(item != null ? item : CharSet.single(low));
      }
    }
    if ((flags & IGNORECASE) != 0) {
      set = set.withCaseVariants();
    }
    return new CharClass(negate ? set.complement() : set);
  }
}
