package dev.vouch.filter;

import java.util.Optional;

/**
 * A hand-written matcher for fail2ban's default date templates, built from their parsed regex:
 * Python's leftmost, backtracking search, without the cost a general engine pays at every position
 * of a line (java.util.regex spends 10 to 200 µs on one unanchored template over a 100-character
 * line, and the detector may try thirty templates on a line).
 *
 * <p>It reads ASCII only: the first non-ASCII character it has to look at, or a search that takes
 * unusually many steps, makes it give up ({@link #GAVE_UP}), and the template's {@link
 * CompiledRegex} answers instead. On ASCII text Python's Unicode classes, case folding and word
 * bounds reduce to their ASCII forms, so the answer is the regex's; {@code DateScannerTest} checks
 * that on every default template. Only the default templates use it: they are fixed, small, and
 * free of nested repeats.
 *
 * <p>Immutable and thread-safe; each search has its own state.
 */
final class DateScanner {
  /** Returned when the scanner cannot answer; ask the regex. */
  static final RegexMatch GAVE_UP = new Captures(new int[0], "");

  private final DateScanNode start;
  private final int groupCount;
  private final int repeatCount;
  private final boolean atTextStartOnly;
  /** The characters a match can start with (all when it may start with nothing consumed). */
  private final CharSet firstSet;
  private final boolean[] first = new boolean[128];
  /** {@link #first} as a {@link DateScanNode#mask}. */
  private final long[] firstMask;
  /**
   * Whether a match can start only where a word starts: the regex opens with fail2ban's word
   * bound {@code (?=^|\b|\W)} and every first character is a word character, so the bound holds
   * exactly at the line start or after a non-word character.
   */
  private final boolean atWordStartOnly;

  private DateScanner(DateScanNode start, int groupCount, int repeatCount, boolean atTextStartOnly,
      CharSet firstSet, boolean wordBegin) {
    this.start = start;
    this.groupCount = groupCount;
    this.repeatCount = repeatCount;
    this.atTextStartOnly = atTextStartOnly;
    this.firstSet = firstSet;
    boolean onlyWordCharacters = true;
    for (int c = 0; c < 128; c++) {
      first[c] = firstSet.contains(c);
      onlyWordCharacters &= !first[c] || DateScanNode.isWordCharacter((char) c);
    }
    this.atWordStartOnly = wordBegin && onlyWordCharacters && !firstSet.isEmpty()
        && firstSet.within(128);
    this.firstMask = DateScanNode.mask(first);
  }

  /**
   * A scanner for a template regex, or empty when it uses what the scanner does not do. {@code
   * wordBegin}: the regex starts with {@link DateBounds#WORD_BEGIN_REGEX} (after global flags).
   */
  static Optional<DateScanner> of(String regex, boolean wordBegin) {
    PythonRegexParser.Parsed parsed = PythonRegexParser.parse(regex, 0);
    try {
      DateScanCompiler compiler = new DateScanCompiler();
      DateScanNode start = compiler.build(parsed.root(), new DateScanNode.Accept());
      return Optional.of(new DateScanner(start, parsed.groupCount(), compiler.repeats(),
          DateScanCompiler.startsWithTextStart(parsed.root()),
          DateScanCompiler.firstChars(parsed.root()), wordBegin));
    } catch (DateScanCompiler.Unsupported e) {
      return Optional.empty();
    }
  }

  /**
   * Python's {@code regex.search(text, from)}: the leftmost match starting at {@code from} or
   * later, or null, or {@link #GAVE_UP}.
   */
  RegexMatch search(CharSequence text, int from) {
    return search(text, from, null);
  }

  /**
   * {@link #search(CharSequence, int)}, answered from {@code memo} when the text agrees with the
   * last one searched as far as that search looked (a log's next line, with a date in the same
   * second, usually does), and leaving this search in it.
   */
  RegexMatch search(CharSequence text, int from, Memo memo) {
    if (memo != null && memo.answers(text, from)) {
      return memo.groups == null ? null : new Captures(memo.groups, text);
    }
    DateScanNode.State scan = new DateScanNode.State(text, groupCount, repeatCount);
    RegexMatch found = null;
    try {
      int last = atTextStartOnly ? Math.min(0, text.length()) : text.length();
      for (int position = from; position <= last; position++) {
        if (position < text.length()) {
          scan.seen = Math.max(scan.seen, position);
          char c = text.charAt(position);
          scan.classify(position, c, firstMask); // the answer depends on it
          if (cannotStart(c)) {
            continue;
          }
        } else {
          scan.sawEnd = true;
        }
        if (atWordStartOnly && position > 0) {
          if (scan.classify(position - 1, text.charAt(position - 1), DateScanNode.WORD)) {
            continue; // inside a word
          }
        }
        scan.step();
        // A failed attempt restores every group it set, so the next one starts clean.
        if (start.match(scan, position)) {
          scan.groups[0] = position;
          scan.groups[1] = scan.end;
          found = new Captures(scan.groups, text);
          break;
        }
      }
    } catch (DateScanNode.GiveUp e) {
      if (memo != null) {
        memo.forget();
      }
      return GAVE_UP;
    }
    if (memo != null) {
      memo.remember(text, from, scan, found == null ? null : scan.groups);
    }
    return found;
  }

  /**
   * One reader's last search with one scanner: what it found, how much of the text it read, and
   * what each position read may hold for the same answer ({@link DateScanNode.State}): a log's
   * next line usually differs from the last only in the seconds of its date, and a digit for a
   * digit leaves the path of the search, and so its answer, as it was. Confined to one thread.
   */
  static final class Memo {
    private CharSequence text;
    private int from;
    private int seen;
    private boolean sawEnd;
    private long[] classes;
    private int classified;
    /** The match's group spans (shared by the matches made from them); null for no match. */
    private int[] groups;

    void forget() {
      text = null;
    }

    private void remember(CharSequence text, int from, DateScanNode.State scan, int[] groups) {
      this.text = text;
      this.from = from;
      this.seen = scan.seen;
      this.sawEnd = scan.sawEnd;
      this.classes = scan.classes;
      this.classified = scan.classified;
      this.groups = groups;
    }

    /** Whether a search of {@code text} from {@code from} must give what the last one gave. */
    private boolean answers(CharSequence text, int from) {
      CharSequence last = this.text;
      if (last == null || from != this.from) {
        return false;
      }
      if (sawEnd ? text.length() != last.length() : text.length() <= seen) {
        return false;
      }
      if (text instanceof String string && last instanceof String lastString) {
        // The same loop on strings, whose charAt is bound statically: no call per character.
        for (int i = 0; i <= seen; i++) {
          char c = string.charAt(i);
          if (c != lastString.charAt(i) && !mayDiffer(i, c)) {
            return false;
          }
        }
        return true;
      }
      for (int i = 0; i <= seen; i++) {
        char c = text.charAt(i);
        if (c != last.charAt(i) && !mayDiffer(i, c)) {
          return false;
        }
      }
      return true;
    }

    /** Whether {@code c} in place of the last text's character at {@code i} keeps the answer. */
    private boolean mayDiffer(int i, char c) {
      return i > classified || (c < 128 && (classes[2 * i + (c >>> 6)] & (1L << c)) != 0);
    }
  }

  /**
   * Whether no match can start at a character. A non-ASCII letter or digit may take part in
   * Python's case folding or Unicode digits, so only other characters outside the set are ruled
   * out here; the rest are left to the match, which gives up on them.
   */
  private boolean cannotStart(char c) {
    if (c < 128) {
      return !first[c];
    }
    return !Character.isSurrogate(c) && !Character.isLetterOrDigit(c) && !firstSet.contains(c);
  }

  /**
   * The spans of a match, by Python's group numbers. The matches a memo gives share its array
   * of spans, so the same array means the same spans ({@link DateSession#parse}).
   */
  record Captures(int[] groups, CharSequence text) implements RegexMatch {
    @Override
    public int start() {
      return groups[0];
    }

    @Override
    public int end() {
      return groups[1];
    }

    @Override
    public String group(int group) {
      int from = groups[2 * group];
      int to = groups[2 * group + 1];
      return from < 0 || to < 0 ? null : text.subSequence(from, to).toString();
    }

    @Override
    public int start(int group) {
      return groups[2 * group + 1] < 0 ? -1 : groups[2 * group];
    }

    @Override
    public int end(int group) {
      return groups[2 * group] < 0 ? -1 : groups[2 * group + 1];
    }
  }
}
