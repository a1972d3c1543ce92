package dev.vouch.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Config text that remembers, for each character, where it was written and how many
 * substitutions deep it sits.
 *
 * <p>Interpolation and tag substitution build values out of other values: sshd's failregex is
 * assembled from lines of sshd.conf, common.conf and perhaps jail.local. The origin of one line of
 * the result is the origin of its outermost text: the first character at the smallest depth. So
 * {@code %(__prefix_line)s foo <HOST>} stays on the line where it was written, while a line that
 * is wholly the value of {@code %(known/failregex)s} keeps the line of that value.
 *
 * <p>Immutable.
 */
final class Text implements CharSequence {
  private final String string;
  private final Origin[] origins;
  private final int[] depths;

  private Text(String string, Origin[] origins, int[] depths) {
    this.string = string;
    this.origins = origins;
    this.depths = depths;
  }

  /** Text written at one place. */
  static Text of(String string, Origin origin) {
    Origin[] origins = new Origin[string.length()];
    Arrays.fill(origins, origin);
    return new Text(string, origins, new int[string.length()]);
  }

  @Override
  public int length() {
    return string.length();
  }

  @Override
  public char charAt(int index) {
    return string.charAt(index);
  }

  @Override
  public Text subSequence(int start, int end) {
    return new Text(
        string.substring(start, end),
        Arrays.copyOfRange(origins, start, end),
        Arrays.copyOfRange(depths, start, end));
  }

  @Override
  public String toString() {
    return string;
  }

  int indexOf(String target, int from) {
    return string.indexOf(target, from);
  }

  int depthAt(int index) {
    return depths[index];
  }

  Origin originAt(int index) {
    return origins[index];
  }

  /** Where this text was written: the first character at the outermost level; empty if blank. */
  Optional<Origin> origin() {
    return origin(0, string.length());
  }

  Origin origin(Origin fallback) {
    return origin().orElse(fallback);
  }

  private Optional<Origin> origin(int start, int end) {
    int best = -1;
    for (int i = start; i < end; i++) {
      if (best < 0 || depths[i] < depths[best]) {
        best = i;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(origins[best]);
  }

  /** The lines of this text, empty ones included, each with its own origin. */
  List<Value> lines(Origin fallback) {
    List<Value> lines = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = string.indexOf('\n', start);
      int stop = end < 0 ? string.length() : end;
      lines.add(new Value(string.substring(start, stop), origin(start, stop).orElse(fallback)));
      if (end < 0) {
        return lines;
      }
      start = end + 1;
    }
  }

  /**
   * Replaces every occurrence of {@code target} by {@code replacement}, one level deeper than the
   * occurrence it replaces (Python's {@code str.replace}).
   */
  Text replaceAll(String target, Text replacement) {
    int found = string.indexOf(target);
    if (found < 0) {
      return this;
    }
    Builder builder = new Builder();
    int start = 0;
    while (found >= 0) {
      builder.append(this, start, found, 0);
      builder.append(replacement, 0, replacement.length(), depths[found] + 1);
      start = found + target.length();
      found = string.indexOf(target, start);
    }
    builder.append(this, start, string.length(), 0);
    return builder.build();
  }

  /** Builds a text piece by piece, keeping each piece's origins. */
  static final class Builder {
    private final StringBuilder string = new StringBuilder();
    private Origin[] origins = new Origin[16];
    private int[] depths = new int[16];

    /** Appends {@code text[start, end)}, {@code deeper} levels below where it was. */
    Builder append(Text text, int start, int end, int deeper) {
      ensure(end - start);
      int at = string.length();
      string.append(text.string, start, end);
      System.arraycopy(text.origins, start, origins, at, end - start);
      for (int i = start; i < end; i++) {
        depths[at + i - start] = text.depths[i] + deeper;
      }
      return this;
    }

    Builder append(char c, Origin origin, int depth) {
      ensure(1);
      origins[string.length()] = origin;
      depths[string.length()] = depth;
      string.append(c);
      return this;
    }

    int length() {
      return string.length();
    }

    Text build() {
      int length = string.length();
      return new Text(
          string.toString(), Arrays.copyOf(origins, length), Arrays.copyOf(depths, length));
    }

    private void ensure(int more) {
      int needed = string.length() + more;
      if (needed > origins.length) {
        int capacity = Math.max(needed, origins.length * 2);
        origins = Arrays.copyOf(origins, capacity);
        depths = Arrays.copyOf(depths, capacity);
      }
    }
  }
}
