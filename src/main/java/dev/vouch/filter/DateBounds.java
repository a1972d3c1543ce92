package dev.vouch.filter;

/**
 * Puts the bounds around a date template's regex, as fail2ban's {@code DateTemplate.setRegex}
 * does: group 1 around the date when the regex has no group, a word bound {@code (?=^|\b|\W)} or
 * the line-start bound {@code ^(?:\W{0,2})?} in front, a word bound {@code (?=\b|\W|$)} behind,
 * unless the regex is anchored or marked {@code **} there. It also tells which anchors the
 * result has, which decides how the detector searches with it.
 *
 * <p>fail2ban does this with regexes over the regex text; the same regexes run here, so that odd
 * patterns come out the same.
 */
final class DateBounds {
  static final int LINE_BEGIN = 8;
  static final int LINE_END = 4;
  static final int WORD_BEGIN = 2;
  static final int WORD_END = 1;

  /** How the start of a date may be bound. */
  enum Begin { NONE, WORD, LINE }

  /**
   * A bounded regex, its flags and the template's name (which {@code {^LN-BEG}} may prefix). The
   * global flags such as {@code (?iu)} are kept apart from the body so that the body can be
   * embedded in a larger regex.
   */
  record Bounded(String name, String globalFlags, String body, int flags) {
    String regex() {
      return globalFlags + body;
    }

    boolean anchored() {
      return (flags & (LINE_BEGIN | LINE_END)) != 0;
    }
  }

  static final String WORD_BEGIN_REGEX = "(?=^|\\b|\\W)";
  static final String LINE_BEGIN_REGEX = "^(?:\\W{0,2})?";
  static final String WORD_END_REGEX = "(?=\\b|\\W|$)";
  static final String LINE_BEGIN_MARK = "{^LN-BEG}";
  static final String UNBOUND_MARK = "{UNB}";

  private static final CompiledRegex GLOBAL_FLAGS = meta("((?:^|(?!<\\\\))\\(\\?[a-z]+\\))");
  private static final CompiledRegex NO_WORD_BOUND_BEGIN =
      meta("^\\(*(?:\\(\\?\\w+\\))?(?:\\^|\\(*\\*\\*|\\((?:\\?:)?\\^)");
  private static final CompiledRegex NO_WORD_BOUND_END =
      meta("(?<!\\\\)(?:\\$\\)?|\\\\b|\\\\s|\\*\\*\\)*)$");
  private static final CompiledRegex GROUPED = meta("(?<!(?:\\(\\?))(?<!\\\\)\\((?!\\?)");
  private static final CompiledRegex WHOLE =
      meta("^((?:\\(\\?\\w+\\))?\\^?(?:\\(\\?\\w+\\))?)(.*?)(\\$?)$");
  private static final CompiledRegex LINE_BOUND_BEGIN =
      meta("^(?:\\(\\?\\w+\\))?(?:\\^|\\((?:\\?:)?\\^(?!\\|))");
  private static final CompiledRegex LINE_BOUND_END = meta("(?<![\\\\\\|])(?:\\$\\)?)$");
  private static final CompiledRegex STARS_IN_FRONT = meta("^\\(*(?:\\(\\?\\w+\\))?\\(*\\*\\*");

  private DateBounds() {}

  private static CompiledRegex meta(String pattern) {
    return CompiledRegex.compile(pattern, 0);
  }

  /**
   * {@code DateTemplate.setRegex(regex, wordBegin, wordEnd)} for a template called {@code name}.
   */
  static Bounded bound(String name, String regex, Begin begin, boolean wordEnd) {
    regex = strip(regex);
    String globalFlags = "";
    RegexMatch flagsMatch = GLOBAL_FLAGS.search(regex);
    if (flagsMatch != null) {
      // Cut global flags such as (?iu) and put them back in front at the end.
      globalFlags = flagsMatch.group(1);
      regex = regex.substring(0, flagsMatch.start()) + regex.substring(flagsMatch.end());
    }
    boolean boundBegin = begin != Begin.NONE && NO_WORD_BOUND_BEGIN.search(regex) == null;
    boolean boundEnd = wordEnd && NO_WORD_BOUND_END.search(regex) == null;
    if (GROUPED.search(regex) == null) {
      RegexMatch whole = WHOLE.search(regex);
      if (whole != null) {
        regex = whole.group(1) + "(" + whole.group(2) + ")" + whole.group(3);
      }
    }
    int flags = 0;
    if (boundBegin) {
      if (begin == Begin.LINE) {
        flags |= LINE_BEGIN;
        regex = LINE_BEGIN_REGEX + regex;
        if (!name.startsWith(LINE_BEGIN_MARK)) {
          name = LINE_BEGIN_MARK + name;
        }
      } else {
        flags |= WORD_BEGIN;
        regex = WORD_BEGIN_REGEX + regex;
      }
    }
    if (boundEnd) {
      flags |= WORD_END;
      regex += WORD_END_REGEX;
    }
    if ((flags & LINE_BEGIN) == 0 && LINE_BOUND_BEGIN.search(regex) != null) {
      flags |= LINE_BEGIN;
    }
    if ((flags & LINE_END) == 0 && LINE_BOUND_END.search(regex) != null) {
      flags |= LINE_END;
    }
    regex = deleteStars(regex);
    return new Bounded(name, globalFlags, regex, flags);
  }

  /**
   * Drops the {@code **} markers (no word bound wanted) at the start and the end, as
   * {@code RE_DEL_WRD_BOUNDS} does: {@code ^\(*(?:\(\?\w+\))?\(*\*\*} in front and
   * {@code (?<!\\)\*\*\)*$} at the end, removing "**" from what they match.
   */
  private static String deleteStars(String regex) {
    int frontEnd = 0;
    String front = "";
    RegexMatch stars = STARS_IN_FRONT.search(regex);
    if (stars != null) {
      frontEnd = stars.end();
      front = regex.substring(0, frontEnd).replace("**", "");
    }
    int closing = regex.length();
    while (closing > frontEnd && regex.charAt(closing - 1) == ')') {
      closing--;
    }
    int tail = closing - 2;
    if (tail >= frontEnd && regex.startsWith("**", tail)
        && (tail == 0 || regex.charAt(tail - 1) != '\\')) {
      return front + regex.substring(frontEnd, tail) + regex.substring(closing);
    }
    return front + regex.substring(frontEnd);
  }

  /** Python's {@code str.strip()}: Unicode whitespace, including no-break spaces and NEL. */
  static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isPythonSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isPythonSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private static boolean isPythonSpace(char c) {
    return Character.isWhitespace(c) || c == '\u00a0' || c == '\u2007' || c == '\u202f'
        || c == '\u0085';
  }

  /**
   * fail2ban's {@code DateTemplate.unboundPattern}: a pattern without its {@code {UNB}} and
   * {@code {^LN-BEG}} marks and without explicit word bounds, to be pasted into {@code {DATE}}.
   */
  static String unbound(String pattern) {
    if (pattern.startsWith(UNBOUND_MARK)) {
      pattern = pattern.substring(UNBOUND_MARK.length());
    }
    if (pattern.startsWith(LINE_BEGIN_MARK)) {
      pattern = pattern.substring(LINE_BEGIN_MARK.length());
    }
    for (String start : new String[] {"(^|\\b|\\W)", "(?:^|\\b|\\W)"}) {
      if (pattern.startsWith(start)) {
        pattern = pattern.substring(start.length());
        break;
      }
    }
    String end = "(?=\\b|\\W|$)";
    if (pattern.endsWith(end)) {
      pattern = pattern.substring(0, pattern.length() - end.length());
    }
    return pattern;
  }
}
