package dev.vouch.fail2ban;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's {@code str()} and {@code repr()} of unpickled values, for messages and for the text
 * fail2ban-client would print. Nesting is cut at a fixed depth, so a hostile or cyclic reply (a
 * list that holds itself) prints as {@code ...} instead of overflowing the stack.
 */
final class PythonText {
  private static final int MAX_DEPTH = 16;

  private PythonText() {}

  static String str(Object value) {
    return value instanceof String text ? text : repr(value);
  }

  static String repr(Object value) {
    StringBuilder out = new StringBuilder();
    repr(value, out, 0);
    return out.toString();
  }

  private static void repr(Object value, StringBuilder out, int depth) {
    if (depth > MAX_DEPTH) {
      out.append("...");
    } else if (value == null) {
      out.append("None");
    } else if (value instanceof String text) {
      quote(text, out);
    } else if (value instanceof Boolean bool) {
      out.append(bool ? "True" : "False");
    } else if (value instanceof Long || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Double number) {
      out.append(floatText(number));
    } else if (value instanceof byte[] bytes) {
      out.append('b');
      quote(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1), out);
    } else if (value instanceof PyTuple tuple) {
      out.append('(');
      items(tuple.items().iterator(), out, depth);
      out.append(tuple.size() == 1 ? ",)" : ")");
    } else if (value instanceof List<?> list) {
      out.append('[');
      items(list.iterator(), out, depth);
      out.append(']');
    } else if (value instanceof Set<?> set) {
      if (set.isEmpty()) {
        out.append("set()");
      } else {
        out.append('{');
        items(set.iterator(), out, depth);
        out.append('}');
      }
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      String separator = "";
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(separator);
        repr(entry.getKey(), out, depth + 1);
        out.append(": ");
        repr(entry.getValue(), out, depth + 1);
        separator = ", ";
      }
      out.append('}');
    } else if (value instanceof PyObject object) {
      out.append(object.name()).append('(');
      items(object.args().items().iterator(), out, depth);
      out.append(')');
    } else if (value instanceof PyGlobal global) {
      out.append("<").append(global.qualifiedName()).append(">");
    } else {
      out.append(value);
    }
  }

  private static void items(Iterator<?> items, StringBuilder out, int depth) {
    String separator = "";
    while (items.hasNext()) {
      out.append(separator);
      repr(items.next(), out, depth + 1);
      separator = ", ";
    }
  }

  /** Python's quoting: single quotes unless the text has one and no double quote. */
  private static void quote(String text, StringBuilder out) {
    char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
    out.append(quote);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == quote || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append(quote);
  }

  /** Python's float repr: {@code 600.0}, {@code 2629800.0}, {@code 1e+16}, {@code 1e-05}. */
  static String floatText(double number) {
    if (Double.isNaN(number)) {
      return "nan";
    }
    if (Double.isInfinite(number)) {
      return number > 0 ? "inf" : "-inf";
    }
    if (number == 0) {
      return 1 / number < 0 ? "-0.0" : "0.0";
    }
    // Double.toString has the shortest digits that read back exactly, as Python's repr does;
    // only the layout differs (Python goes scientific below 1e-4 and from 1e16).
    BigDecimal shortest = new BigDecimal(Double.toString(number)).stripTrailingZeros();
    int exponent = shortest.precision() - shortest.scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      String plain = shortest.toPlainString();
      return plain.indexOf('.') < 0 ? plain + ".0" : plain;
    }
    String digits = shortest.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String power = String.valueOf(Math.abs(exponent));
    return (number < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
        + (power.length() < 2 ? "0" + power : power);
  }

  /** Python's name for the type of an unpickled value, for messages. */
  static String typeName(Object value) {
    if (value == null) {
      return "NoneType";
    } else if (value instanceof String) {
      return "str";
    } else if (value instanceof Long || value instanceof BigInteger) {
      return "int";
    } else if (value instanceof Double) {
      return "float";
    } else if (value instanceof Boolean) {
      return "bool";
    } else if (value instanceof byte[]) {
      return "bytes";
    } else if (value instanceof PyTuple) {
      return "tuple";
    } else if (value instanceof List) {
      return "list";
    } else if (value instanceof Map) {
      return "dict";
    } else if (value instanceof Set) {
      return "set";
    } else if (value instanceof PyGlobal global) {
      return "class " + global.qualifiedName();
    } else if (value instanceof PyObject object) {
      return object.qualifiedName();
    }
    return value.getClass().getSimpleName();
  }
}
