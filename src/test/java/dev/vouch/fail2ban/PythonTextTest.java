package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonTextTest {

  @Test
  void printsValuesAsPythonsRepr() {
    Map<Object, Object> dict = new LinkedHashMap<>();
    dict.put("testjail", new ArrayList<>(List.of("192.0.2.1")));

    assertEquals("[None, True, 3, 'a\\\\b\\n', \"it's\", (1,), (),"
            + " {'testjail': ['192.0.2.1']}, set()]",
        PythonText.repr(Arrays.asList(null, true, 3L, "a\\b\n", "it's", PyTuple.of(1L),
            PyTuple.EMPTY, dict, new LinkedHashSet<>())));
    assertEquals("ValueError('not banned: [1]')", PythonText.repr(
        new PyObject("builtins", "ValueError", PyTuple.of("not banned: [1]"))));
  }

  @Test
  void printsFloatsAsPythonDoes() {
    assertEquals("2629800.0", PythonText.floatText(2629800.0));
    assertEquals("0.1", PythonText.floatText(0.1));
    assertEquals("10000000.0", PythonText.floatText(1e7));
    assertEquals("1e+16", PythonText.floatText(1e16));
    assertEquals("1.2345678901234568e+17", PythonText.floatText(123456789012345678.0));
    assertEquals("0.0001", PythonText.floatText(1e-4));
    assertEquals("1e-05", PythonText.floatText(1e-5));
    assertEquals("-2.5", PythonText.floatText(-2.5));
    assertEquals("-0.0", PythonText.floatText(-0.0));
    assertEquals("nan", PythonText.floatText(Double.NaN));
  }
}
