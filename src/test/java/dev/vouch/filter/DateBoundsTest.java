package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The regex text fail2ban's setRegex makes of a template regex. */
class DateBoundsTest {
  private static DateBounds.Bounded word(String regex) {
    return DateBounds.bound("name", regex, DateBounds.Begin.WORD, true);
  }

  @Test
  void wrapsGroupOneAndAddsWordBounds() {
    DateBounds.Bounded bounded = word("a{3,5}b?c*");
    assertEquals("(?=^|\\b|\\W)(a{3,5}b?c*)(?=\\b|\\W|$)", bounded.regex());
    assertEquals(DateBounds.WORD_BEGIN | DateBounds.WORD_END, bounded.flags());
  }

  @Test
  void anchorsAreLineBoundsAndKeepTheirPlace() {
    DateBounds.Bounded bounded = word("^a{3,5}b?c*$");
    assertEquals("^(a{3,5}b?c*)$", bounded.regex());
    assertEquals(DateBounds.LINE_BEGIN | DateBounds.LINE_END, bounded.flags());
  }

  @Test
  void starsDropTheBoundOnTheirSide() {
    assertEquals("(time:\\d)", word("**time:\\d**").regex());
    // an escaped star is no marker
    assertEquals("(?=^|\\b|\\W)\\*(time)\\*(?=\\b|\\W|$)", word("\\*(time)\\*").regex());
  }

  @Test
  void globalFlagsMoveToTheFront() {
    DateBounds.Bounded bounded = word("x(?i)y");
    assertEquals("(?i)", bounded.globalFlags());
    assertEquals("(?i)(?=^|\\b|\\W)(xy)(?=\\b|\\W|$)", bounded.regex());
  }

  @Test
  void lineBeginAllowsTwoNonWordCharactersAndNamesIt() {
    DateBounds.Bounded bounded = DateBounds.bound("T", "@x", DateBounds.Begin.LINE, true);
    assertEquals("^(?:\\W{0,2})?(@x)(?=\\b|\\W|$)", bounded.regex());
    assertEquals("{^LN-BEG}T", bounded.name());
    assertEquals(DateBounds.LINE_BEGIN | DateBounds.WORD_END, bounded.flags());
  }

  @Test
  void unboundPatternLosesItsMarks() {
    assertEquals("%H:%M", DateBounds.unbound("{^LN-BEG}%H:%M"));
    assertEquals("%H:%M", DateBounds.unbound("{UNB}%H:%M"));
    assertEquals("%H", DateBounds.unbound("(?:^|\\b|\\W)%H(?=\\b|\\W|$)"));
  }
}
