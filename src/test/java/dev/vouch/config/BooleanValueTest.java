package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BooleanValueTest {

  @ParameterizedTest
  @ValueSource(strings = {"1", "on", "true", "yes", "TRUE", "Yes", "oN"})
  void trueWordsAreTrue(String text) {
    assertTrue(BooleanValue.isTrue(text));
    assertTrue(BooleanValue.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "off", "false", "no", "NO"})
  void falseWordsAreFalse(String text) {
    assertFalse(BooleanValue.isTrue(text));
    assertFalse(BooleanValue.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ture", "2", "enabled", ""})
  void fail2banReadsAnythingElseAsFalseButTheStrictReadingRefusesIt(String text) {
    assertFalse(BooleanValue.isTrue(text));
    ConfigException error = assertThrows(ConfigException.class, () -> BooleanValue.parse(text));
    assertEquals("expected true or false (or yes/no, on/off, 1/0). Found: " + text,
        error.getMessage());
  }
}
