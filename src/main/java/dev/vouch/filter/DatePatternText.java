package dev.vouch.filter;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The placeholders of datepattern text: {@code {DATE}} ({@code RE_DATE_PREMATCH}) and {@code
 * {EPOCH}}/{@code {LEPOCH}} ({@code RE_EPOCH_PATTERN}), found case-insensitively and not after a
 * backslash, as fail2ban's regexes over the pattern find them.
 */
final class DatePatternText {
  private DatePatternText() {}

  /** Whether {@code text} holds {@code {EPOCH}} or {@code {LEPOCH}}. */
  static boolean hasEpoch(String text) {
    return next(text, 0, true) != null;
  }

  /** Every {@code {EPOCH}}/{@code {LEPOCH}} replaced by {@code replacement}. */
  static String replaceEpoch(String text, String replacement) {
    return replace(text, true, replacement);
  }

  /** Every {@code {DATE}} replaced by {@code replacement}. */
  static String replaceDate(String text, String replacement) {
    return replace(text, false, replacement);
  }

  /** The key fail2ban looks patterns up by: upper-cased unless it has a {@code %} directive. */
  static String key(String pattern) {
    return pattern.indexOf('%') >= 0 ? pattern : pattern.toUpperCase(Locale.ROOT);
  }

  /** Applies {@code wrap} to a pattern: the datepattern with {@code {DATE}} filled in. */
  static UnaryOperator<String> dateWrapper(String preMatch) {
    return inner -> replaceDate(preMatch, DateBounds.unbound(inner));
  }

  private static String replace(String text, boolean epoch, String replacement) {
    StringBuilder out = new StringBuilder(text.length() + replacement.length());
    int from = 0;
    int[] found;
    while ((found = next(text, from, epoch)) != null) {
      out.append(text, from, found[0]).append(replacement);
      from = found[1];
    }
    return out.append(text, from, text.length()).toString();
  }

  /** Start and end of the next placeholder at or after {@code from}, or null. */
  private static int[] next(String text, int from, boolean epoch) {
    for (int i = from; i < text.length(); i++) {
      if (text.charAt(i) != '{' || (i > 0 && text.charAt(i - 1) == '\\')) {
        continue;
      }
      String[] words = epoch ? new String[] {"{EPOCH}", "{LEPOCH}"} : new String[] {"{DATE}"};
      for (String word : words) {
        if (text.regionMatches(true, i, word, 0, word.length())) {
          return new int[] {i, i + word.length()};
        }
      }
    }
    return null;
  }
}
