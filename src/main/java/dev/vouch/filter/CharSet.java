package dev.vouch.filter;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * An immutable set of Unicode code points: explicit ranges plus whole Unicode categories
 * (letters, numbers, decimal digits), possibly negated. Python's {@code \w} is letters, numbers
 * and '_' (not RE2's ASCII word class), {@code \d} the decimal digits; kept as categories, they
 * print as {@code \p{L}}, {@code \p{N}}, {@code \p{Nd}}, which both engines test with a table
 * lookup, and nothing has to list the hundreds of ranges behind them. The ranges are worked out
 * only for the rare set that needs them (a union with a negated class).
 */
final class CharSet {
  static final int MAX = Character.MAX_CODE_POINT;
  /** Categories, as bits. */
  static final int LETTER = 1;
  static final int NUMBER = 2;
  static final int DIGIT = 4;

  static final CharSet EMPTY = new CharSet(new int[0], 0, false);

  private static final CharSet ASCII_DIGIT = range('0', '9');
  private static final CharSet ASCII_WORD =
      range('0', '9').union(range('A', 'Z')).union(range('a', 'z')).union(single('_'));
  private static final CharSet ASCII_SPACE = range('\t', '\r').union(single(' '));
  private static final CharSet UNICODE_SPACE = ASCII_SPACE.union(range(0x1c, 0x1f))
      .union(single(0x85)).union(single(0xa0)).union(single(0x1680)).union(range(0x2000, 0x200a))
      .union(range(0x2028, 0x2029)).union(single(0x202f)).union(single(0x205f))
      .union(single(0x3000));
  private static final CharSet UNICODE_DIGIT = new CharSet(new int[0], DIGIT, false);
  private static final CharSet UNICODE_WORD = new CharSet(new int[] {'_', '_'}, LETTER | NUMBER,
      false);

  /** Python's class escapes ({@code \d \w \s}), Unicode-aware unless {@code ascii}. */
  static CharSet category(char escape, boolean ascii) {
    return switch (escape) {
      case 'd' -> ascii ? ASCII_DIGIT : UNICODE_DIGIT;
      case 'D' -> (ascii ? ASCII_DIGIT : UNICODE_DIGIT).complement();
      case 'w' -> ascii ? ASCII_WORD : UNICODE_WORD;
      case 'W' -> (ascii ? ASCII_WORD : UNICODE_WORD).complement();
      case 's' -> ascii ? ASCII_SPACE : UNICODE_SPACE;
      case 'S' -> (ascii ? ASCII_SPACE : UNICODE_SPACE).complement();
      default -> throw new IllegalArgumentException("not a class escape: \\" + escape);
    };
  }

  /** Explicit members: ranges[2i] to ranges[2i+1], inclusive, sorted and disjoint. */
  private final int[] ranges;
  private final int categories;
  private final boolean negated;
  /** For a union with a negated set: its parts (membership is any part's); else null. */
  private final CharSet[] parts;
  /** The whole set as ranges, worked out on first need (a benign race: same result). */
  private int[] materialized;

  private CharSet(int[] ranges, int categories, boolean negated) {
    this(ranges, categories, negated, null);
  }

  private CharSet(int[] ranges, int categories, boolean negated, CharSet[] parts) {
    this.ranges = ranges;
    this.categories = categories;
    this.negated = negated;
    this.parts = parts;
  }

  static CharSet single(int codePoint) {
    return range(codePoint, codePoint);
  }

  static CharSet range(int from, int to) {
    if (from > to) {
      throw new IllegalArgumentException("bad range " + from + "-" + to);
    }
    return new CharSet(new int[] {from, to}, 0, false);
  }

  /** True for a set that is neither negated nor holds whole categories. */
  boolean explicit() {
    return categories == 0 && !negated && parts == null;
  }

  /**
   * True for a union that involves a negated set: it prints as its full ranges
   * ({@link #materializedRanges()}), worked out when first needed.
   */
  boolean compound() {
    return parts != null;
  }

  /** Every member as ranges (for a compound set, which has no shorter spelling). */
  int[] materializedRanges() {
    return materialize().clone();
  }

  /** True when every member is below {@code limit} (no large set ever is). */
  boolean within(int limit) {
    if (!explicit()) {
      return false;
    }
    return ranges.length == 0 || ranges[ranges.length - 1] < limit;
  }

  boolean negated() {
    return negated;
  }

  /** The categories it holds whole, as bits ({@link #LETTER} ...). */
  int categories() {
    return categories;
  }

  /** This set without its negation: its explicit ranges and categories. */
  CharSet positive() {
    return negated ? new CharSet(ranges, categories, false) : this;
  }

  CharSet union(CharSet other) {
    if (!negated && !other.negated && parts == null && other.parts == null) {
      return new CharSet(merge(ranges, other.ranges), categories | other.categories, false);
    }
    return new CharSet(new int[0], 0, false, new CharSet[] {this, other});
  }

  CharSet complement() {
    if (parts != null) {
      return new CharSet(materialize(), 0, true);
    }
    return new CharSet(ranges, categories, !negated);
  }

  /** The members of this set that are not in {@code other}. */
  CharSet minus(CharSet other) {
    return new CharSet(subtract(materialize(), other.materialize()), 0, false);
  }

  boolean contains(int codePoint) {
    if (parts != null) {
      return parts[0].contains(codePoint) || parts[1].contains(codePoint);
    }
    boolean in = inRanges(ranges, codePoint) || inCategories(categories, codePoint);
    return in != negated;
  }

  private static boolean inCategories(int categories, int codePoint) {
    if (categories == 0) {
      return false;
    }
    int type = Character.getType(codePoint);
    if ((categories & LETTER) != 0 && Character.isLetter(codePoint)) {
      return true;
    }
    if ((categories & NUMBER) != 0 && (type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER)) {
      return true;
    }
    return (categories & DIGIT) != 0 && type == Character.DECIMAL_DIGIT_NUMBER;
  }

  private static boolean inRanges(int[] ranges, int codePoint) {
    int low = 0;
    int high = ranges.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (codePoint < ranges[2 * mid]) {
        high = mid - 1;
      } else if (codePoint > ranges[2 * mid + 1]) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** True for a set with no member (a negation or a whole category never is empty here). */
  boolean isEmpty() {
    if (parts != null) {
      return parts[0].isEmpty() && parts[1].isEmpty();
    }
    if (negated) {
      return categories == 0 && ranges.length == 2 && ranges[0] == 0 && ranges[1] == MAX;
    }
    return categories == 0 && ranges.length == 0;
  }

  /** Number of code points; large sets (categories, negations) count as very large. */
  long size() {
    if (!explicit()) {
      return Long.MAX_VALUE;
    }
    long total = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      total += ranges[i + 1] - ranges[i] + 1L;
    }
    return total;
  }

  /** The explicit ranges (of {@link #positive()} for a negated set). */
  int rangeCount() {
    return ranges.length / 2;
  }

  int from(int range) {
    return ranges[2 * range];
  }

  int to(int range) {
    return ranges[2 * range + 1];
  }

  /**
   * This set plus the upper, lower and title case forms of its members, as IGNORECASE sees a
   * class. Categories are closed under case already; a negated set is left as it is (the
   * parser adds variants before negating).
   */
  CharSet withCaseVariants() {
    if (negated || parts != null || size() > 4096) {
      return this;
    }
    int[] result = ranges;
    for (int i = 0; i < ranges.length; i += 2) {
      for (int cp = ranges[i]; cp <= ranges[i + 1]; cp++) {
        for (int variant : new int[] {Character.toLowerCase(cp), Character.toUpperCase(cp),
            Character.toTitleCase(cp)}) {
          if (variant != cp && !inRanges(result, variant)) {
            result = merge(result, new int[] {variant, variant});
          }
        }
      }
    }
    return new CharSet(result, categories, false);
  }

  /** Every member as ranges. */
  private int[] materialize() {
    int[] done = materialized;
    if (done != null) {
      return done;
    }
    if (parts != null) {
      done = merge(parts[0].materialize(), parts[1].materialize());
      materialized = done;
      return done;
    }
    int[] positive = ranges;
    if ((categories & LETTER) != 0) {
      positive = merge(positive, Tables.LETTER);
    }
    if ((categories & NUMBER) != 0) {
      positive = merge(positive, Tables.NUMBER);
    }
    if ((categories & DIGIT) != 0) {
      positive = merge(positive, Tables.DIGIT);
    }
    done = negated ? complement(positive) : positive;
    materialized = done;
    return done;
  }

  /**
   * The ranges of each category, worked out once per process on first need. Letters and numbers
   * exist only below U+40000 (planes 4 to 13 are unassigned, 14 to 16 hold tags, selectors and
   * private use), so only that part is scanned.
   */
  private static final class Tables {
    private static final int LAST_ASSIGNED = 0x3ffff;
    static final int[] LETTER = scan(Character::isLetter);
    static final int[] NUMBER = scan(cp -> inCategories(CharSet.NUMBER, cp));
    static final int[] DIGIT = scan(cp -> Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER);
  }

  private static int[] scan(IntPredicate member) {
    int[] found = new int[64];
    int size = 0;
    int start = -1;
    for (int cp = 0; cp <= Tables.LAST_ASSIGNED + 1; cp++) {
      boolean in = cp <= Tables.LAST_ASSIGNED && member.test(cp);
      if (in && start < 0) {
        start = cp;
      } else if (!in && start >= 0) {
        if (size == found.length) {
          found = Arrays.copyOf(found, size * 2);
        }
        found[size++] = start;
        found[size++] = cp - 1;
        start = -1;
      }
    }
    return Arrays.copyOf(found, size);
  }

  private static int[] merge(int[] a, int[] b) {
    int[] merged = new int[a.length + b.length];
    int size = 0;
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      int from;
      int to;
      if (j >= b.length || (i < a.length && a[i] <= b[j])) {
        from = a[i];
        to = a[i + 1];
        i += 2;
      } else {
        from = b[j];
        to = b[j + 1];
        j += 2;
      }
      if (size > 0 && from <= merged[size - 1] + 1) {
        merged[size - 1] = Math.max(merged[size - 1], to);
      } else {
        merged[size++] = from;
        merged[size++] = to;
      }
    }
    return Arrays.copyOf(merged, size);
  }

  private static int[] complement(int[] ranges) {
    int[] result = new int[ranges.length + 2];
    int size = 0;
    int next = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      if (ranges[i] > next) {
        result[size++] = next;
        result[size++] = ranges[i] - 1;
      }
      next = ranges[i + 1] + 1;
    }
    if (next <= MAX) {
      result[size++] = next;
      result[size++] = MAX;
    }
    return Arrays.copyOf(result, size);
  }

  private static int[] subtract(int[] a, int[] b) {
    int[] result = new int[a.length + b.length];
    int size = 0;
    int j = 0;
    for (int i = 0; i < a.length; i += 2) {
      int from = a[i];
      int to = a[i + 1];
      while (j < b.length && b[j + 1] < from) {
        j += 2;
      }
      int k = j;
      while (from <= to) {
        if (k >= b.length || b[k] > to) {
          result[size++] = from;
          result[size++] = to;
          break;
        }
        if (b[k] > from) {
          result[size++] = from;
          result[size++] = b[k] - 1;
        }
        from = Math.max(from, b[k + 1] + 1);
        k += 2;
      }
    }
    return Arrays.copyOf(result, size);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CharSet set && categories == set.categories && negated == set.negated
        && Arrays.equals(ranges, set.ranges) && Arrays.equals(parts, set.parts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ranges) * 31 + categories * 2 + (negated ? 1 : 0);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(negated ? "[^" : "[");
    if ((categories & LETTER) != 0) {
      text.append("L ");
    }
    if ((categories & NUMBER) != 0) {
      text.append("N ");
    }
    if ((categories & DIGIT) != 0) {
      text.append("Nd ");
    }
    for (int i = 0; i < ranges.length; i += 2) {
      text.append(Integer.toHexString(ranges[i]));
      if (ranges[i + 1] != ranges[i]) {
        text.append('-').append(Integer.toHexString(ranges[i + 1]));
      }
      text.append(' ');
    }
    return text.append(']').toString();
  }
}
