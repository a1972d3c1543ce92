package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CompiledRegexTest {
  private static CompiledRegex compile(String pattern) {
    return CompiledRegex.compile(FilterTags.expand(pattern, true), 0);
  }

  @Test
  void plainFilterRegexRunsOnRe2() {
    CompiledRegex regex = compile("^Accepted \\w+ for <F-USER>\\S+</F-USER> from <HOST>(?:\\s|$)");
    assertEquals(CompiledRegex.Engine.RE2, regex.engine());
    RegexMatch match = regex.search("Accepted publickey for alice from 2001:db8::1 port 22\n");
    assertNotNull(match);
    assertEquals("alice", match.group(regex.group("user")));
    assertEquals("2001:db8::1", match.group(regex.group("ip6")));
    assertNull(match.group(regex.group("ip4")));
  }

  @Test
  void addressEndingInDoubleColonMatchesWithoutLookbehind() {
    CompiledRegex regex = compile("from <ADDR>$");
    RegexMatch match = regex.search("from 2001:db8::\n");
    assertEquals("2001:db8::", match.group(regex.group("ip6")));
  }

  @Test
  void conditionalsRunOnJavaWithPythonSemantics() {
    CompiledRegex regex = compile("^Failed \\S+ for (?P<cond_inv>invalid user )?<F-USER>(?P<cond_user>\\S+)"
        + "|(?(cond_inv)(?:(?! from ).)*?|[^:]+)</F-USER> from <HOST>(?: (?:port \\d+|on \\S+)){0,2}"
        + "(?: ssh\\d*)?(?(cond_user): |(?:(?:(?! from ).)*)$)");
    assertEquals(CompiledRegex.Engine.BACKTRACKING, regex.engine());
    RegexMatch match = regex.search("Failed password for invalid user test from 192.0.2.1 port 22 ssh2\n");
    assertNotNull(match);
    assertEquals("test", match.group(regex.group("user")));
    assertEquals("192.0.2.1", match.group(regex.group("ip4")));
    RegexMatch spoof = regex.search(
        "Failed password for invalid user from 1.2.3.4 from 192.0.2.9 port 22 ssh2\n");
    assertNotNull(spoof);
    assertEquals("192.0.2.9", spoof.group(regex.group("ip4")));
  }

  @Test
  void dollarMatchesBeforeTheFinalNewlineOnBothEngines() {
    assertNotNull(compile("abc$").search("xabc\n"));
    assertNotNull(compile("(?=a)abc$").search("xabc\n"));
    assertNull(compile("abc$").search("abcd\n"));
  }

  @Test
  void unicodeWordClassIsPythons() {
    assertNotNull(compile("^user \\w+$").search("user jürgen\n"));
  }

  @Test
  void ignoreCaseAppliesToNegatedClasses() {
    assertNull(compile("(?i)^[^a]$").search("A"));
    assertNotNull(compile("(?i)^[^a]$").search("b"));
  }

  /**
   * Each class prints differently for the two engines (for java.util.regex, the members below 256
   * one by one and the rest behind a range guard); both must hold exactly the set's members.
   */
  @Test
  void classesHoldTheSameMembersInBothEngines() throws RegexPrinter.Unsupported {
    for (String pattern : new String[] {"\\s", "\\S", "\\w", "\\W", "\\d", "\\D", "[^.]",
        "[a-z\u0100-\u0200_]", "[^\\s\\d]", "[\\w.-]", "[^\\W\\d]", "[\\s\\S]", "(?i)[k]",
        "[\u00e0-\u00ff\u3000]", "[^\\x00-\\xff]"}) {
      PythonRegexParser.Parsed parsed = PythonRegexParser.parse(pattern, 0);
      RegexNode root = parsed.root();
      CharSet set = root instanceof RegexNode.CharClass c ? c.set() : null;
      java.util.regex.Pattern onJava = java.util.regex.Pattern.compile(
          RegexPrinter.print(root, 0, RegexPrinter.Dialect.JAVA).pattern());
      com.google.re2j.Pattern onRe2 = com.google.re2j.Pattern.compile(
          RegexPrinter.print(root, 0, RegexPrinter.Dialect.RE2).pattern());
      for (int cp = 0; cp < 0x110000; cp = next(cp)) {
        String text = new String(Character.toChars(cp));
        boolean expected = set != null ? set.contains(cp) : onRe2.matcher(text).matches();
        String where = pattern + " at U+" + Integer.toHexString(cp);
        assertEquals(expected, onJava.matcher(text).matches(), "Java: " + where);
        assertEquals(expected, onRe2.matcher(text).matches(), "RE2: " + where);
      }
    }
  }

  private static int next(int cp) {
    return cp == 0x30ff ? 0xff10 : cp == 0xff10 ? 0x1d7ce : cp == 0x1d7ce ? 0x110000 : cp + 1;
  }

  @Test
  void catastrophicBacktrackingIsCutByTheBudget() {
    CompiledRegex regex = compile("^(a+)+(?=b)b$");
    assertEquals(CompiledRegex.Engine.BACKTRACKING, regex.engine());
    assertNull(regex.search("a".repeat(40) + "c"));
  }

  @Test
  void badPatternsFailLikePython() {
    assertThrows(RegexSyntaxException.class, () -> compile("a{2,1}"));
    assertThrows(RegexSyntaxException.class, () -> compile("(abc"));
    assertThrows(RegexSyntaxException.class, () -> compile("\\q"));
    assertThrows(RegexSyntaxException.class, () -> compile("(?P=nope)"));
    assertThrows(RegexSyntaxException.class, () -> compile("a**"));
    assertNotNull(compile("a{,2}b").search("aab"));
    assertNotNull(compile("x{").search("x{"));
  }
}
