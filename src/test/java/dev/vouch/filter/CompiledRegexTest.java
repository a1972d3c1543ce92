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
    assertEquals(CompiledRegex.Engine.JAVA, regex.engine());
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

  @Test
  void catastrophicBacktrackingIsCutByTheBudget() {
    CompiledRegex regex = compile("^(a+)+(?=b)b$");
    assertEquals(CompiledRegex.Engine.JAVA, regex.engine());
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
