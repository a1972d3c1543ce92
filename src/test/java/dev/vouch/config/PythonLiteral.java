package dev.vouch.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Python literals that {@code fail2ban-client -d} prints (one {@code repr} of a list
 * per line): lists, tuples, strings in either quote, ints, floats, True, False and None. Ints
 * become {@code Long}, floats {@code Double}, None {@code null}.
 */
final class PythonLiteral {
  private final String text;
  private int position;

  private PythonLiteral(String text) {
    this.text = text;
  }

  static Object parse(String text) {
    PythonLiteral reader = new PythonLiteral(text);
    Object value = reader.value();
    reader.skipSpaces();
    if (reader.position != text.length()) {
      throw reader.error("end of line");
    }
    return value;
  }

  private Object value() {
    skipSpaces();
    char c = peek();
    if (c == '[' || c == '(') {
      return sequence(c == '[' ? ']' : ')');
    }
    if (c == '\'' || c == '"') {
      return string(c);
    }
    for (String word : List.of("True", "False", "None")) {
      if (text.startsWith(word, position)) {
        position += word.length();
        return word.equals("None") ? null : Boolean.valueOf(word.equals("True"));
      }
    }
    int start = position;
    while (position < text.length() && "+-0123456789.e".indexOf(text.charAt(position)) >= 0) {
      position++;
    }
    String number = text.substring(start, position);
    if (number.isEmpty()) {
      throw error("a value");
    }
    return number.matches("[+-]?\\d+") ? (Object) Long.valueOf(number) : Double.valueOf(number);
  }

  private List<Object> sequence(char close) {
    position++;
    List<Object> items = new ArrayList<>();
    while (true) {
      skipSpaces();
      if (peek() == close) {
        position++;
        return items;
      }
      items.add(value());
      skipSpaces();
      if (peek() == ',') {
        position++;
      } else if (peek() != close) {
        throw error("',' or '" + close + "'");
      }
    }
  }

  private String string(char quote) {
    position++;
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = next();
      if (c == quote) {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char escaped = next();
      switch (escaped) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'x' -> out.append((char) hex(2));
        case 'u' -> out.append((char) hex(4));
        case 'U' -> out.appendCodePoint(hex(8));
        default -> out.append(escaped); // \\ \' \"
      }
    }
  }

  private int hex(int digits) {
    int value = Integer.parseInt(text.substring(position, position + digits), 16);
    position += digits;
    return value;
  }

  private char peek() {
    if (position >= text.length()) {
      throw error("more text");
    }
    return text.charAt(position);
  }

  private char next() {
    char c = peek();
    position++;
    return c;
  }

  private void skipSpaces() {
    while (position < text.length() && text.charAt(position) == ' ') {
      position++;
    }
  }

  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException(
        "expected " + expected + " at " + position + " of: " + text);
  }
}
