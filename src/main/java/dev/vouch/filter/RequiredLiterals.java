package dev.vouch.filter;

import dev.vouch.filter.RegexNode.Alternation;
import dev.vouch.filter.RegexNode.AnyChar;
import dev.vouch.filter.RegexNode.Assertion;
import dev.vouch.filter.RegexNode.CharClass;
import dev.vouch.filter.RegexNode.Concat;
import dev.vouch.filter.RegexNode.Conditional;
import dev.vouch.filter.RegexNode.Empty;
import dev.vouch.filter.RegexNode.Group;
import dev.vouch.filter.RegexNode.Literal;
import dev.vouch.filter.RegexNode.Lookaround;
import dev.vouch.filter.RegexNode.Repeat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The literals every match of a regex must contain, as a conjunction of alternatives: for
 * {@code ^[iI]nvalid user \S+ from <HOST>} that is one group {"invalid user ", "Invalid user "}
 * and one {" from "}. A line that lacks them cannot match, so no regex needs to run on it.
 *
 * <p>The analysis is conservative: it only drops requirements, never invents one. Case-insensitive
 * parts, literals with a newline (the buffer's final newline is not scanned) or non-ASCII text,
 * and alternatives of fewer than {@value #MIN_LENGTH} characters are left out.
 */
final class RequiredLiterals {
  static final int MIN_LENGTH = 3;
  private static final int MAX_SET = 16;
  private static final int MAX_LENGTH = 48;

  /** What is known about the strings a node matches. */
  private record Info(Set<String> exact, List<Set<String>> required) {
    static final Info UNKNOWN = new Info(null, List.of());
    static final Info EMPTY = new Info(Set.of(""), List.of());
  }

  private RequiredLiterals() {}

  /** Groups of alternatives; every group must have a member in any text the regex matches. */
  static List<Set<String>> of(RegexNode root) {
    Info info = analyse(root);
    List<Set<String>> groups = new ArrayList<>(info.required());
    if (info.exact() != null) {
      addGroup(groups, info.exact());
    }
    return List.copyOf(groups);
  }

  private static Info analyse(RegexNode node) {
    if (node instanceof Literal literal) {
      if (literal.ignoreCase() || literal.codePoint() >= 0x80 || literal.codePoint() == '\n') {
        return Info.UNKNOWN;
      }
      return new Info(Set.of(String.valueOf((char) literal.codePoint())), List.of());
    }
    if (node instanceof CharClass charClass) {
      CharSet set = charClass.set();
      if (set.size() > 4) {
        return Info.UNKNOWN;
      }
      Set<String> chars = new LinkedHashSet<>();
      for (int r = 0; r < set.rangeCount(); r++) {
        for (int cp = set.from(r); cp <= set.to(r); cp++) {
          if (cp >= 0x80 || cp == '\n') {
            return Info.UNKNOWN;
          }
          chars.add(String.valueOf((char) cp));
        }
      }
      return new Info(chars, List.of());
    }
    if (node instanceof Assertion || node instanceof Lookaround || node instanceof Empty) {
      return Info.EMPTY;
    }
    if (node instanceof AnyChar) {
      return Info.UNKNOWN;
    }
    if (node instanceof Group group) {
      return analyse(group.body());
    }
    if (node instanceof Concat concat) {
      return concat(concat.items());
    }
    if (node instanceof Alternation alternation) {
      return alternatives(alternation.branches());
    }
    if (node instanceof Conditional conditional) {
      return alternatives(List.of(conditional.yes(), conditional.no()));
    }
    if (node instanceof Repeat repeat) {
      Info body = analyse(repeat.body());
      if (repeat.min() == 0) {
        if (repeat.max() == 1 && body.exact() != null && body.exact().size() < MAX_SET) {
          Set<String> optional = new LinkedHashSet<>(body.exact());
          optional.add("");
          return new Info(optional, List.of());
        }
        return Info.UNKNOWN;
      }
      if (repeat.min() == 1 && repeat.max() == 1) {
        return body;
      }
      List<Set<String>> groups = new ArrayList<>(body.required());
      if (body.exact() != null) {
        addGroup(groups, body.exact());
      }
      return new Info(null, groups);
    }
    return Info.UNKNOWN; // backreferences
  }

  private static Info concat(List<RegexNode> items) {
    List<Set<String>> groups = new ArrayList<>();
    Set<String> run = Set.of("");
    boolean exact = true;
    for (RegexNode item : items) {
      Info info = analyse(item);
      groups.addAll(info.required());
      Set<String> product = info.exact() == null ? null : product(run, info.exact());
      if (product != null) {
        run = product;
        continue;
      }
      exact = false;
      addGroup(groups, run);
      run = info.exact() == null ? Set.of("") : info.exact();
    }
    if (exact) {
      return new Info(run, groups);
    }
    addGroup(groups, run);
    return new Info(null, groups);
  }

  private static Info alternatives(List<RegexNode> branches) {
    Set<String> union = new LinkedHashSet<>();
    Set<String> weakest = new LinkedHashSet<>();
    boolean allExact = true;
    boolean allRequire = true;
    for (RegexNode branch : branches) {
      Info info = analyse(branch);
      if (info.exact() != null && allExact) {
        union.addAll(info.exact());
      } else {
        allExact = false;
      }
      Set<String> best = best(info);
      if (best == null) {
        allRequire = false;
      } else {
        weakest.addAll(best);
      }
    }
    if (allExact && union.size() <= MAX_SET) {
      return new Info(union, List.of());
    }
    return allRequire ? new Info(null, List.of(weakest)) : Info.UNKNOWN;
  }

  /** The strongest single group a branch guarantees, or null. */
  private static Set<String> best(Info info) {
    List<Set<String>> groups = new ArrayList<>(info.required());
    if (info.exact() != null) {
      addGroup(groups, info.exact());
    }
    Set<String> best = null;
    int bestLength = -1;
    for (Set<String> group : groups) {
      int shortest = shortest(group);
      if (shortest > bestLength) {
        best = group;
        bestLength = shortest;
      }
    }
    return best;
  }

  private static Set<String> product(Set<String> left, Set<String> right) {
    if ((long) left.size() * right.size() > MAX_SET) {
      return null;
    }
    Set<String> result = new LinkedHashSet<>();
    for (String a : left) {
      for (String b : right) {
        if (a.length() + b.length() > MAX_LENGTH) {
          return null;
        }
        result.add(a.concat(b));
      }
    }
    return result;
  }

  private static void addGroup(List<Set<String>> groups, Set<String> alternatives) {
    if (!alternatives.isEmpty() && shortest(alternatives) >= MIN_LENGTH) {
      groups.add(Set.copyOf(alternatives));
    }
  }

  /**
   * The length of the shortest text of a non-empty group (0 for an empty one). Loops rather than
   * streams here: the analysis runs once per regex at start-up, mostly in the interpreter.
   */
  static int shortest(Set<String> group) {
    int shortest = group.isEmpty() ? 0 : Integer.MAX_VALUE;
    for (String text : group) {
      shortest = Math.min(shortest, text.length());
    }
    return shortest;
  }
}
