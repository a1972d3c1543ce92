package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.config.FilterReader;
import dev.vouch.daemon.Filters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The backtracker against java.util.regex, which runs the same parsed tree printed in Java's
 * syntax: both must find the same match with the same groups, on hand-picked cases and on every
 * regex of every stock fail2ban filter over the lines of its sample log and splices of them.
 */
class BacktrackerTest {
  private static final Path ROOT = Path.of(System.getProperty("fail2ban.root", "target/fail2ban"));
  private static final Path FILTERS = ROOT.resolve("etc/fail2ban/filter.d");
  private static final Path LOGS =
      ROOT.resolve("usr/lib/python3/dist-packages/fail2ban/tests/files/logs");

  /** A pattern on both engines. */
  private record Pair(Backtracker backtracker, Pattern onJava, int[] javaGroups,
      int groupCount) {
    static Pair of(RegexNode root, int groupCount) {
      try {
        RegexPrinter.Printed printed =
            RegexPrinter.print(root, groupCount, RegexPrinter.Dialect.JAVA);
        return new Pair(new Backtracker(BacktrackProgram.compile(root, groupCount,
            RegexEngine.anchored(root))), Pattern.compile(printed.pattern(),
            Pattern.UNIX_LINES), printed.engineGroups(), groupCount);
      } catch (RegexPrinter.Unsupported | BacktrackProgram.TooComplex e) {
        throw new AssertionError(e);
      }
    }

    static Pair of(String python) {
      PythonRegexParser.Parsed parsed = PythonRegexParser.parse(python, 0);
      return of(parsed.root(), parsed.groupCount());
    }

    int[] backtracked(String text) {
      RegexMatch match = backtracker.search(text, 10_000_000);
      return match == null ? null : bounds(match);
    }

    int[] java(String text) {
      Matcher matcher = onJava.matcher(text);
      if (!matcher.find()) {
        return null;
      }
      int[] bounds = new int[2 * (groupCount + 1)];
      for (int group = 0; group <= groupCount; group++) {
        int engine = group == 0 ? 0 : javaGroups[group];
        bounds[2 * group] = matcher.start(engine);
        bounds[2 * group + 1] = matcher.end(engine);
      }
      return bounds;
    }

    private int[] bounds(RegexMatch match) {
      int[] bounds = new int[2 * (groupCount + 1)];
      for (int group = 0; group <= groupCount; group++) {
        bounds[2 * group] = match.start(group);
        bounds[2 * group + 1] = match.end(group);
      }
      return bounds;
    }
  }

  private static void agree(String python, String... texts) {
    Pair pair = Pair.of(python);
    for (String text : texts) {
      assertArrayEquals(pair.java(text), pair.backtracked(text), python + " on " + text);
    }
  }

  private static int[] search(String python, String text) {
    return Pair.of(python).backtracked(text);
  }

  @Test
  void loopsGiveBackInPythonsOrder() {
    agree("^(\\S+) from (\\S+)$", "user from 1.2.3.4", "a b from c", "from from from");
    agree("^([^:]+):(.*)$", "a:b:c", "no colon", ":", "a:");
    agree("(a+?)(a*)b", "aaab", "b", "aaa");
    agree("x(\\d{1,3})(\\d{2,})", "x12345", "x12", "x1234");
    agree("^(?:(\\w)\\s?){2,4}$", "a b c", "abcde", "ab");
    agree("(a|ab)(c|bcd)(d*)", "abcd", "abc");
    agree("(?:(a)|b)+", "ab", "ba", "bab");
  }

  @Test
  void repeatsThatMatchEmptyEnd() {
    agree("^(a*)*b", "aab", "b", "c");
    agree("(?:a?)*?x", "aax", "x");
    agree("(a|)+c", "aac", "c");
    agree("(a*)+", "b");
  }

  @Test
  void lookaroundBackreferenceAndConditional() {
    agree("(?<=user )\\w+", "invalid user bob here");
    agree("^(?!root)\\w+ logged", "root logged", "alice logged");
    agree("(?=(\\w+) from)\\1", "bob from x");
    agree("(?P<q>['\"]).*?(?P=q)", "say 'hi' now", "say \"a' b\" c", "none'");
    agree("(?i)(?P<w>ab)-(?P=w)", "Ab-aB", "ab-ac");
    agree("^(?P<inv>invalid )?(?(inv)\\w+|root)$", "invalid bob", "root", "bob");
    agree("(?:(?! from ).)*? from (\\S+)", "x from y from z");
  }

  @Test
  void possessiveAndAtomicDoNotGiveBack() {
    assertNull(search("^(?>a+)a", "aaa"));
    assertNull(search("^a++a", "aaa"));
    assertNotNull(search("^(?>a+)b", "aab"));
  }

  @Test
  void anchorsFollowPython() {
    agree("abc$", "xabc\n", "abc\n\n", "abcd");
    agree("abc\\Z", "abc\n", "abc");
    agree("(?m)^b$", "a\nb\nc");
    // Python's ^ under MULTILINE matches after a final newline too (Java's does not).
    assertNotNull(search("(?m)\\n^", "a\n"));
    agree("\\bfoo\\b", "a foo b", "afoo", "foo_", "föo foo");
    agree("\\Bo\\B", "foo", "o");
  }

  @Test
  void codePointsNotChars() {
    String emoji = "\uD83D\uDE00";
    agree("^.$", emoji);
    agree("^(.)(.)$", "a" + emoji, emoji + emoji);
    // A lookbehind over a code point outside the BMP (java.util.regex finds nothing here).
    assertArrayEquals(new int[] {2, 3}, search("(?<=" + emoji + ")x", emoji + "x"));
    agree("[^a]+", emoji + "b");
    agree("(?i)straße", "STRASSE", "Straße");
  }

  @Test
  void firstCharacterSkipsAhead() {
    agree("from (\\d+)", "xx from 12 from 34", "from", "");
  }

  /** The view fail2ban's buffer is searched through reads as the line with its newline. */
  @Test
  void aRegexTextReadsAsTheRestOfTheLineWithANewline() {
    String line = "Nov 22 10:00:01 host sshd[1]: Failed password for root from 192.0.2.1";
    RegexText text = RegexText.of(line, 16);
    String copy = line.substring(16) + "\n";
    assertEquals(copy, text.toString());
    assertEquals(copy.length(), text.length());
    assertEquals(copy.charAt(0), text.charAt(0));
    assertEquals('\n', text.charAt(text.length() - 1));
    assertEquals(copy.substring(3, 9), text.subSequence(3, 9).toString());
    assertEquals(copy.substring(40), text.subSequence(40, text.length()).toString());
    for (String pattern :
        new String[] {"from (\\S+)$", "(\\s*)$", "^(host) (.+)", "(?s)root(.*)"}) {
      Pair pair = Pair.of(pattern);
      RegexMatch match = pair.backtracker().search(text, 1_000_000);
      RegexMatch expected = pair.backtracker().search(copy, 1_000_000);
      for (int group = 0; group <= pair.groupCount(); group++) {
        assertEquals(expected.group(group), match.group(group), pattern + " group " + group);
      }
    }
  }

  @Test
  void budgetStopsCatastrophicBacktracking() {
    Pair pair = Pair.of("^(a+)+$");
    assertThrows(BudgetedText.OverBudget.class,
        () -> pair.backtracker().search("a".repeat(40) + "!", 100_000));
  }

  @Test
  void stockFiltersAgreeWithJavaRegexOnTheirSamples() throws IOException {
    List<String> names = SampleLog.filterNames(FILTERS);
    Random random = new Random(42);
    long compared = 0;
    for (String name : names) {
      Filter filter = Filter.compile(Filters.spec(new FilterReader(List.of(FILTERS)).read(name),
          "warn", Optional.empty(), Optional.empty()), java.time.Year.of(2005));
      List<FilterRegex> regexes = new ArrayList<>(filter.failregex());
      regexes.addAll(filter.ignoreregex());
      filter.prefregex().ifPresent(regexes::add);
      List<String> lines = sampleLines(name);
      for (int i = 0, n = lines.size(); i < n; i++) { // splices: hostile mixes of real lines
        String a = lines.get(random.nextInt(n));
        String b = lines.get(random.nextInt(n));
        lines.add(a.substring(0, random.nextInt(a.length() + 1))
            + b.substring(random.nextInt(b.length() + 1)));
      }
      for (FilterRegex regex : regexes) {
        CompiledRegex compiled = regex.regex();
        Pair pair = Pair.of(compiled.tree(), compiled.groupCount());
        for (String line : lines) {
          String text = line + "\n";
          assertArrayEquals(pair.java(text), pair.backtracked(text),
              name + ": " + compiled.source() + " on " + line);
          compared++;
        }
      }
    }
    assertTrue(compared > 20_000, "compared " + compared);
  }

  private static List<String> sampleLines(String name) throws IOException {
    Path log = LOGS.resolve(name);
    List<String> lines = new ArrayList<>();
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (!line.startsWith("#")) {
          lines.add(line);
        }
      }
    }
    lines.add("");
    return lines;
  }

  /**
   * Threads sharing one backtracker (more of them than it keeps states at hand for, so that they
   * take each other's slots) each get the answers a lone thread gets.
   */
  @Test
  void threadsSharingABacktrackerKeepTheirOwnState() throws Exception {
    PythonRegexParser.Parsed parsed = PythonRegexParser.parse(
        "^(?P<user>\\S+) from (?P<host>[0-9.]+)(?: port (?P<port>\\d+))?$", 0);
    Backtracker backtracker = new Backtracker(assertDoesNotThrow(parsed));
    List<String> texts = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String text = "user" + i + " from 192.0.2." + i + (i % 3 == 0 ? "" : " port " + i * 7)
          + (i % 5 == 0 ? " junk" : "");
      texts.add(text);
      expected.add(describe(backtracker.search(text, 1_000_000)));
    }
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 9; t++) {
      int offset = t * 17;
      threads.add(new Thread(() -> {
        try {
          for (int round = 0; round < 300; round++) {
            int i = (offset + round) % texts.size();
            assertEquals(expected.get(i), describe(backtracker.search(texts.get(i), 1_000_000)),
                texts.get(i));
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(List.of(), failures);
  }

  private static String describe(RegexMatch match) {
    if (match == null) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    for (int group = 0; group <= 3; group++) {
      text.append(match.start(group)).append('-').append(match.end(group)).append(' ');
    }
    return text.toString();
  }

  @Test
  void programsOfStockRegexesStaySmall() {
    PythonRegexParser.Parsed parsed = PythonRegexParser.parse(
        FilterTags.expand("^(?:\\S+ )?<HOST> from (?:<F-USER>\\S+</F-USER>)?$", true), 0);
    BacktrackProgram program = assertDoesNotThrow(parsed);
    assertTrue(program.code().length < 2000, "code " + program.code().length);
    assertEquals(-1, program.firstChar());
  }

  private static BacktrackProgram assertDoesNotThrow(PythonRegexParser.Parsed parsed) {
    try {
      return BacktrackProgram.compile(parsed.root(), parsed.groupCount(), true);
    } catch (BacktrackProgram.TooComplex e) {
      throw new AssertionError(e);
    }
  }
}
