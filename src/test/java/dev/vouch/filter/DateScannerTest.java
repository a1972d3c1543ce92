package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The scanner gives the regex's answer on every default template: same match, same groups, for
 * searches from the start and from a position, on generated dates, fuzzed text and the sample
 * logs; and it gives up rather than guess on text it does not read.
 */
class DateScannerTest {
  private static final String[] PIECES = {"2005", "2004", "05", "1", "12", "23", "31", "9", " ",
      "  ", "-", "/", ".", ":", ",", "T", "Z", "+0100", "-05:00", "Jan", "jan", "AUG", "Sun",
      "PDT", "[", "]", "@", "<", ">", "x", "_", "audit(", "1106513999", "000", "PM", "am", "\t",
      "\n", "(", ")", "UTC", "GMT"};

  /** Characters a memo's variants put in place of others. */
  private static final String REPLACEMENTS = "0123456789012345678901234567890123456789 :-./,TZ+aAjJmMxé\n";

  @Test
  void everyDefaultTemplateIsScanned() {
    for (DateTemplate template : templates()) {
      assertTrue(template.scanned(), template.name());
    }
  }

  @Test
  void scannerAgreesWithTheRegex() throws IOException {
    List<String> inputs = new ArrayList<>(new DateCorpus(11).lines(40));
    inputs.addAll(sampleLines());
    Random random = new Random(3);
    for (int i = 0; i < 4000; i++) {
      StringBuilder text = new StringBuilder();
      int pieces = 1 + random.nextInt(14);
      for (int j = 0; j < pieces; j++) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      inputs.add(text.toString());
    }
    int compared = 0;
    for (DateTemplate template : templates()) {
      for (String input : inputs) {
        RegexMatch scanned = template.scanFrom(input, 0, null);
        if (scanned == DateScanner.GAVE_UP) {
          continue;
        }
        assertSameMatch(template.compiled(), template.compiled().search(input), scanned,
            template.name() + " on " + input);
        compared++;
      }
    }
    assertTrue(compared > 100_000, "compared " + compared);
  }

  /**
   * A memo answers a search only where the text agrees with the last one as far as that search
   * read, but for characters that every test made there would have answered alike: each line is
   * searched after variants of it that differ from some position on (a date in the same second
   * followed by other text, or a line cut short) or in a few characters (a digit for a digit, a
   * letter, a space, a newline), with and without the memo.
   */
  @Test
  void memoGivesWhatAFreshSearchGives() throws IOException {
    List<String> inputs = new ArrayList<>(new DateCorpus(7).lines(12));
    inputs.addAll(sampleLines());
    Random random = new Random(5);
    int answered = 0;
    for (DateTemplate template : templates()) {
      // One memo per starting position: a memo of another position answers nothing.
      DateScanner.Memo[] memos = {new DateScanner.Memo(), new DateScanner.Memo()};
      for (String input : inputs) {
        for (int variant = 0; variant < 12; variant++) {
          String text = input;
          if (variant > 0 && variant < 6 && !input.isEmpty()) {
            int cut = random.nextInt(input.length());
            text = variant % 2 == 0 ? input.substring(0, cut)
                : input.substring(0, cut) + PIECES[random.nextInt(PIECES.length)]
                    + input.substring(cut);
          } else if (variant >= 6 && !input.isEmpty()) {
            char[] chars = input.toCharArray();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
              // Mostly within the first 30 characters, where the dates are.
              int at = random.nextInt(Math.min(chars.length, random.nextBoolean() ? 30 : 200));
              chars[at] = REPLACEMENTS.charAt(random.nextInt(REPLACEMENTS.length()));
            }
            text = new String(chars);
          }
          for (int from : new int[] {0, 0, 3}) {
            if (from > text.length()) {
              continue;
            }
            RegexMatch fresh = template.scanFrom(text, from, null);
            RegexMatch remembered = template.scanFrom(text, from, memos[from == 0 ? 0 : 1]);
            String what = template.name() + " from " + from + " on " + text;
            if (fresh == DateScanner.GAVE_UP || fresh == null) {
              assertSame(fresh, remembered, what);
              continue;
            }
            assertNotNull(remembered, what);
            for (int group = 0; group <= template.compiled().groupCount(); group++) {
              assertEquals(fresh.start(group), remembered.start(group), what + " group " + group);
              assertEquals(fresh.end(group), remembered.end(group), what + " group " + group);
            }
            answered++;
          }
        }
      }
    }
    assertTrue(answered > 20_000, "answered " + answered);
  }

  @Test
  void searchFromAPositionIsPythonsSearchWithPos() {
    List<String> inputs = new DateCorpus(5).lines(6);
    for (DateTemplate template : templates()) {
      DateBounds.Bounded bounded = template.bounded();
      for (int from : new int[] {1, 2, 5, 17}) {
        CompiledRegex shifted = CompiledRegex.compile(bounded.globalFlags() + "^(?s:.{" + from
            + ",}?)(" + bounded.body() + ")", 0);
        for (String input : inputs) {
          if (input.length() < from) {
            continue;
          }
          RegexMatch scanned = template.scanFrom(input, from, null);
          if (scanned == DateScanner.GAVE_UP) {
            continue;
          }
          RegexMatch expected = shifted.search(input);
          String what = template.name() + " from " + from + " on " + input;
          if (expected == null) {
            assertEquals(null, scanned, what);
            continue;
          }
          assertNotNull(scanned, what);
          assertEquals(expected.start(1), scanned.start(), what);
          assertEquals(expected.end(1), scanned.end(), what);
          for (int group = 1; group <= template.compiled().groupCount(); group++) {
            assertEquals(expected.start(group + 1), scanned.start(group), what + " group " + group);
            assertEquals(expected.end(group + 1), scanned.end(group), what + " group " + group);
          }
        }
      }
    }
  }

  @Test
  void givesUpOnNonAsciiItMustRead() {
    DateTemplate asctime = twin("(?:DAY )?MON Day %k:Minute:Second");
    assertSame(DateScanner.GAVE_UP, asctime.scanFrom("\u017fep 3 10:00:00 long s", 0, null));
    assertSame(DateScanner.GAVE_UP, asctime.scanFrom("Jan \u0663 10:00:00 arabic digit", 0, null));
    // Text after the date is not read: the scanner answers.
    RegexMatch match = asctime.scanFrom("Jan 3 10:00:00 user j\u00fcrgen", 0, null);
    assertEquals(14, match.end());
    // And the regex agrees where the scanner gave up.
    assertEquals(0, asctime.search("\u017fep 3 10:00:00 long s").start());
  }

  @Test
  void budgetStopsLongSearches() {
    DateTemplate iso = DateDetector.defaults(Year.of(2005)).templates().stream()
        .filter(template -> template.name().startsWith("ExYear(")).findFirst().orElseThrow();
    String text = "2005-1-1 ".repeat(5000);
    assertSame(DateScanner.GAVE_UP, iso.scanFrom(text, 0, null));
    assertEquals(null, iso.search(text));
  }

  private static List<DateTemplate> templates() {
    return DateDetector.defaults(Year.of(2005)).templates();
  }

  private static DateTemplate twin(String namePrefix) {
    return templates().stream()
        .filter(template -> template.name().startsWith("{^LN-BEG}" + namePrefix))
        .findFirst().orElseThrow();
  }

  private static void assertSameMatch(CompiledRegex regex, RegexMatch expected, RegexMatch actual,
      String what) {
    if (expected == null) {
      assertEquals(null, actual, what);
      return;
    }
    assertNotNull(actual, what);
    for (int group = 0; group <= regex.groupCount(); group++) {
      assertEquals(expected.start(group), actual.start(group), what + " group " + group);
      assertEquals(expected.end(group), actual.end(group), what + " group " + group);
      assertEquals(expected.group(group), actual.group(group), what + " group " + group);
    }
  }

  static List<String> sampleLines() throws IOException {
    Path logs = Path.of(System.getProperty("fail2ban.root", "target/fail2ban"),
        "usr/lib/python3/dist-packages/fail2ban/tests/files/logs");
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
            .split("\n")) {
          if (!line.startsWith("#") && !line.isEmpty()) {
            lines.add(line);
          }
        }
      }
    }
    return lines;
  }
}
