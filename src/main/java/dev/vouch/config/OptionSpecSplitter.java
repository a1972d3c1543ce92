package dev.vouch.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a value that holds several {@code name[key=value, ...]} references, one per line or
 * separated by spaces outside brackets: fail2ban's {@code splitWithOptions}.
 *
 * <p>fail2ban does it with one regex whose backtracking is exponential on an unclosed bracket
 * ({@code act[a=a=a=...}). This matches the same grammar and returns the same parts, but
 * remembers which positions inside brackets lead nowhere, so it takes quadratic time at worst.
 * The grammar of one part: a name ({@code [^\[\s]+}), optionally {@code \s*[\s*} items
 * {@code key=value} each followed by optional whitespace, separator ({@code ,} or {@code ][})
 * and whitespace, then {@code ]}; the part must end at whitespace or the end of the text.
 * Anything else non-blank is a part of its own up to the next whitespace.
 */
final class OptionSpecSplitter {
  private static final int UNKNOWN = -2;
  private static final int NONE = -1;

  private final String text;
  /** For a position inside brackets: where the first successful parse of the rest ends. */
  private final int[] groupEnds;

  private OptionSpecSplitter(String text) {
    this.text = text;
    this.groupEnds = new int[text.length() + 1];
    Arrays.fill(groupEnds, UNKNOWN);
  }

  /** The parts, stripped, in order. */
  static List<String> split(String text) {
    return new OptionSpecSplitter(text).parts();
  }

  private List<String> parts() {
    List<String> parts = new ArrayList<>();
    int position = 0;
    while (position < text.length()) {
      if (isSpace(position)) {
        position++;
        continue;
      }
      int end = part(position);
      parts.add(IniParser.strip(text.substring(position, end)));
      position = end;
    }
    return parts;
  }

  /** The end of the part that starts at {@code start}, a non-blank character. */
  private int part(int start) {
    int name = start;
    while (name < text.length() && !isSpace(name) && text.charAt(name) != '[') {
      name++;
    }
    if (name > start) {
      int bracket = skipSpaces(name);
      if (bracket < text.length() && text.charAt(bracket) == '[') {
        int end = items(skipSpaces(bracket + 1));
        if (end >= 0) {
          return end;
        }
      }
      if (endsPart(name)) {
        return name;
      }
    }
    int end = start;
    while (end < text.length() && !isSpace(end)) {
      end++;
    }
    return end;
  }

  /**
   * The end (after {@code ]}) of the first parse, in the regex's order of preference, of
   * {@code (item)* ]} from {@code position} that ends the part; -1 if there is none.
   */
  private int items(int position) {
    if (groupEnds[position] != UNKNOWN) {
      return groupEnds[position];
    }
    int result = NONE;
    int key = position;
    while (key < text.length() && isKeyChar(text.charAt(key))) {
      key++;
    }
    if (key > position && key < text.length() && text.charAt(key) == '=') {
      for (int valueEnd : valueEnds(key + 1)) {
        for (int next : afterValue(valueEnd)) {
          result = items(next);
          if (result >= 0) {
            groupEnds[position] = result;
            return result;
          }
        }
      }
    }
    if (position < text.length() && text.charAt(position) == ']' && endsPart(position + 1)) {
      result = position + 1;
    }
    groupEnds[position] = result;
    return result;
  }

  /** Where a value starting at {@code start} may end: quoted, else bare from longest. */
  private List<Integer> valueEnds(int start) {
    List<Integer> ends = new ArrayList<>();
    for (char quote : new char[] {'"', '\''}) {
      if (start < text.length() && text.charAt(start) == quote) {
        int close = text.indexOf(quote, start + 1);
        if (close >= 0) {
          ends.add(close + 1);
        }
      }
    }
    int bare = start;
    while (bare < text.length() && text.charAt(bare) != ',' && text.charAt(bare) != ']') {
      bare++;
    }
    for (int end = bare; end >= start; end--) {
      ends.add(end);
    }
    return ends;
  }

  /**
   * Where the next item may start after a value: {@code \s*(?:,|\]\s*\[)?\s*}, the
   * possibilities in the regex's order of preference.
   */
  private List<Integer> afterValue(int valueEnd) {
    List<Integer> positions = new ArrayList<>();
    int spaces = skipSpaces(valueEnd);
    for (int separator = spaces; separator >= valueEnd; separator--) {
      if (separator < text.length() && text.charAt(separator) == ',') {
        positions.add(skipSpaces(separator + 1));
      }
      if (separator < text.length() && text.charAt(separator) == ']') {
        int open = skipSpaces(separator + 1);
        if (open < text.length() && text.charAt(open) == '[') {
          positions.add(skipSpaces(open + 1));
        }
      }
      positions.add(skipSpaces(separator));
    }
    return positions;
  }

  /** A part ends at whitespace or at the end of the text. */
  private boolean endsPart(int position) {
    return position == text.length() || isSpace(position);
  }

  private int skipSpaces(int position) {
    while (position < text.length() && isSpace(position)) {
      position++;
    }
    return position;
  }

  private boolean isSpace(int position) {
    return IniParser.isSpace(text.charAt(position));
  }

  private static boolean isKeyChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
  }
}
