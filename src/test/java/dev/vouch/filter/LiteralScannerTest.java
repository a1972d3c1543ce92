package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scanner finds exactly the literals a text contains, whole or scanned in two pieces. */
class LiteralScannerTest {
  @Test
  void findsWhatContainsFinds() {
    Random random = new Random(17);
    String alphabet = "abc ab.:[]";
    for (int round = 0; round < 400; round++) {
      // Small alphabets and short literals: prefixes, suffixes and overlaps of every kind.
      Set<String> unique = new LinkedHashSet<>();
      for (int n = 1 + random.nextInt(70); unique.size() < n; ) {
        unique.add(random(random, alphabet, 1 + random.nextInt(round % 2 == 0 ? 4 : 12)));
      }
      List<String> literals = new ArrayList<>(unique);
      LiteralScanner scanner = new LiteralScanner(literals);
      for (int t = 0; t < 20; t++) {
        String text = random(random, alphabet + "é\u0141", random.nextInt(60));
        long[] expected = scanner.newFoundSet();
        for (int id = 0; id < literals.size(); id++) {
          if (text.contains(literals.get(id))) {
            expected[id >>> 6] |= 1L << id;
          }
        }
        long[] whole = scanner.newFoundSet();
        scanner.scan(text, 0, text.length(), LiteralScanner.start(), whole);
        assertArrayEquals(expected, whole, literals + " in '" + text + "'");
        int cut = text.isEmpty() ? 0 : random.nextInt(text.length());
        long[] pieces = scanner.newFoundSet();
        int state = scanner.scan(text, 0, cut, LiteralScanner.start(), pieces);
        scanner.scan(text, cut, text.length(), state, pieces);
        assertArrayEquals(expected, pieces, literals + " in '" + text + "' cut at " + cut);
      }
    }
  }

  @Test
  void refusesWhatItCannotFind() {
    assertThrows(IllegalArgumentException.class, () -> new LiteralScanner(List.of("a", "a")));
    assertThrows(IllegalArgumentException.class, () -> new LiteralScanner(List.of("é")));
  }

  private static String random(Random random, String alphabet, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
