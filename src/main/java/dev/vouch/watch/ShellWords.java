package dev.vouch.watch;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into words as Python's {@code shlex.split} does (POSIX mode, no comments), which
 * is how fail2ban's client reads a {@code journalmatch}: whitespace separates words, single
 * quotes keep everything, double quotes keep everything but {@code \"} and {@code \\}, and a
 * backslash outside quotes keeps the next character.
 */
final class ShellWords {
  private ShellWords() {}

  /**
   * The words of {@code text}.
   *
   * @throws IllegalArgumentException for an unclosed quote or a backslash at the very end
   */
  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < text.length()
            && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (c == '\\') {
        if (i + 1 == text.length()) {
          throw new IllegalArgumentException("a backslash ends " + text
              + ": remove it, or quote the value");
        }
        word.append(text.charAt(++i));
        inWord = true;
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("no closing quotation (" + quote + ") in " + text);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
