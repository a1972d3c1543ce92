package dev.vouch.filter;

import java.util.Arrays;

/**
 * An immutable set of Unicode code points as sorted, disjoint, non-adjacent ranges. Character
 * classes are resolved into these so that both regex engines see exactly Python's classes
 * ({@code \w} is Python's Unicode word class, not RE2's ASCII one).
 */
final class CharSet {
  static final int MAX = Character.MAX_CODE_POINT;
  static final CharSet EMPTY = new CharSet(new int[0]);

  private static final CharSet ASCII_DIGIT = range('0', '9');
  private static final CharSet ASCII_WORD =
      range('0', '9').union(range('A', 'Z')).union(range('a', 'z')).union(single('_'));
  private static final CharSet ASCII_SPACE = range('\t', '\r').union(single(' '));
  private static final CharSet UNICODE_SPACE = ASCII_SPACE.union(range(0x1c, 0x1f))
      .union(single(0x85)).union(single(0xa0)).union(single(0x1680)).union(range(0x2000, 0x200a))
      .union(range(0x2028, 0x2029)).union(single(0x202f)).union(single(0x205f))
      .union(single(0x3000));

  /** Lazily computed Unicode classes (a scan of all code points, done once per process). */
  private static final class Unicode {
    static final CharSet DIGIT = scan(cp -> Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER);
    static final CharSet WORD = scan(cp -> cp == '_' || Character.isLetter(cp)
        || switch (Character.getType(cp)) {
          case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
          default -> false;
        });

    private static CharSet scan(java.util.function.IntPredicate member) {
      int[] ranges = new int[64];
      int size = 0;
      int start = -1;
      for (int cp = 0; cp <= MAX + 1; cp++) {
        boolean in = cp <= MAX && member.test(cp);
        if (in && start < 0) {
          start = cp;
        } else if (!in && start >= 0) {
          if (size == ranges.length) {
            ranges = Arrays.copyOf(ranges, size * 2);
          }
          ranges[size++] = start;
          ranges[size++] = cp - 1;
          start = -1;
        }
      }
      return new CharSet(Arrays.copyOf(ranges, size));
    }
  }

  /** Python's class escapes ({@code \d \w \s}), Unicode-aware unless {@code ascii}. */
  static CharSet category(char escape, boolean ascii) {
    return switch (escape) {
      case 'd' -> ascii ? ASCII_DIGIT : Unicode.DIGIT;
      case 'D' -> (ascii ? ASCII_DIGIT : Unicode.DIGIT).complement();
      case 'w' -> ascii ? ASCII_WORD : Unicode.WORD;
      case 'W' -> (ascii ? ASCII_WORD : Unicode.WORD).complement();
      case 's' -> ascii ? ASCII_SPACE : UNICODE_SPACE;
      case 'S' -> (ascii ? ASCII_SPACE : UNICODE_SPACE).complement();
      default -> throw new IllegalArgumentException("not a class escape: \\" + escape);
    };
  }

  /** Flattened pairs: ranges[2i] to ranges[2i+1], inclusive. */
  private final int[] ranges;

  private CharSet(int[] ranges) {
    this.ranges = ranges;
  }

  static CharSet single(int codePoint) {
    return range(codePoint, codePoint);
  }

  static CharSet range(int from, int to) {
    if (from > to) {
      throw new IllegalArgumentException("bad range " + from + "-" + to);
    }
    return new CharSet(new int[] {from, to});
  }

  CharSet union(CharSet other) {
    int[] merged = new int[ranges.length + other.ranges.length];
    int size = 0;
    int i = 0;
    int j = 0;
    while (i < ranges.length || j < other.ranges.length) {
      int from;
      int to;
      if (j >= other.ranges.length || (i < ranges.length && ranges[i] <= other.ranges[j])) {
        from = ranges[i];
        to = ranges[i + 1];
        i += 2;
      } else {
        from = other.ranges[j];
        to = other.ranges[j + 1];
        j += 2;
      }
      if (size > 0 && from <= merged[size - 1] + 1) {
        merged[size - 1] = Math.max(merged[size - 1], to);
      } else {
        merged[size++] = from;
        merged[size++] = to;
      }
    }
    return new CharSet(Arrays.copyOf(merged, size));
  }

  CharSet complement() {
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
    return new CharSet(Arrays.copyOf(result, size));
  }

  /**
   * This set plus the upper, lower and title case forms of its members, as IGNORECASE sees a
   * class. Sets of more than 4096 code points (the class escapes) are already closed enough and
   * are returned as they are.
   */
  CharSet withCaseVariants() {
    if (size() > 4096) {
      return this;
    }
    CharSet result = this;
    for (int i = 0; i < ranges.length; i += 2) {
      for (int cp = ranges[i]; cp <= ranges[i + 1]; cp++) {
        for (int variant : new int[] {Character.toLowerCase(cp), Character.toUpperCase(cp),
            Character.toTitleCase(cp)}) {
          if (variant != cp && !result.contains(variant)) {
            result = result.union(single(variant));
          }
        }
      }
    }
    return result;
  }

  boolean contains(int codePoint) {
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

  boolean isEmpty() {
    return ranges.length == 0;
  }

  /** Number of code points, saturating at Integer.MAX_VALUE. */
  long size() {
    long total = 0;
    for (int i = 0; i < ranges.length; i += 2) {
      total += ranges[i + 1] - ranges[i] + 1L;
    }
    return total;
  }

  /** The number of ranges. */
  int rangeCount() {
    return ranges.length / 2;
  }

  int from(int range) {
    return ranges[2 * range];
  }

  int to(int range) {
    return ranges[2 * range + 1];
  }

  /** True when the complement has fewer ranges, i.e. a negated class prints shorter. */
  boolean prefersNegation() {
    return ranges.length > 0 && (ranges[0] == 0 || ranges[ranges.length - 1] == MAX)
        && complement().rangeCount() < rangeCount();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CharSet set && Arrays.equals(ranges, set.ranges);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ranges);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
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
