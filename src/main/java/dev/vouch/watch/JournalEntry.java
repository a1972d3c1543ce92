package dev.vouch.watch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One journal entry as {@code journalctl --output=json} prints it, turned into the line that
 * fail2ban 1.0.2's {@code FilterSystemd.formatJournalEntry} builds from it:
 * {@code HOST IDENT[PID]: MESSAGE}, with a kernel entry's uptime ({@code kernel: [  12.345678]})
 * and newlines written as {@code \n}.
 *
 * <p>In journalctl's JSON a value is a string; an array of byte numbers when it is not
 * printable UTF-8 (decoded here with U+FFFD for bad bytes, as fail2ban does); or an array of
 * such values when the field was written more than once (a repeated {@code MESSAGE} is joined
 * with spaces, as in fail2ban; of another field the first value is used, where fail2ban 1.0.2
 * fails on the entry).
 *
 * @param line the rebuilt line, as the filter sees it
 * @param time when it was logged, epoch seconds: {@code _SOURCE_REALTIME_TIMESTAMP} when the
 *     entry has it (as fail2ban), else {@code __REALTIME_TIMESTAMP}
 * @param cursor the entry's {@code __CURSOR}, where a later journalctl resumes after it
 * @param undecodable whether a value was not valid UTF-8
 */
record JournalEntry(String line, double time, String cursor, boolean undecodable) {
  private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+(?:_[0-9]+)*");
  private static final Pattern ANY_BASE = Pattern.compile(
      "([+-]?)(?:0[xX]((?:_?[0-9a-fA-F])+)|0[oO]((?:_?[0-7])+)|0[bB]((?:_?[01])+)"
          + "|([1-9](?:_?[0-9])*|0+(?:_?0)*))");

  /**
   * Reads one line of journalctl's JSON output.
   *
   * @throws IllegalArgumentException when it is not a JSON object with a time and a cursor
   */
  static JournalEntry parse(String json) {
    JsonObject entry;
    try {
      JsonElement element = JsonParser.parseString(json);
      if (!element.isJsonObject()) {
        throw new IllegalArgumentException("not a journal entry: " + abbreviate(json));
      }
      entry = element.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("not a journal entry (" + e.getMessage() + "): "
          + abbreviate(json));
    }
    try {
      return of(entry);
    } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
      // A value of a type journalctl does not write (an object, a number out of range).
      throw new IllegalArgumentException("not a journal entry (" + e.getMessage() + "): "
          + abbreviate(json));
    }
  }

  private static JournalEntry of(JsonObject entry) {
    Decoded decoded = new Decoded();
    List<String> elements = new ArrayList<>();
    decoded.first(entry, "_HOSTNAME").filter(text -> !text.isEmpty()).ifPresent(elements::add);
    Optional<String> ident = decoded.first(entry, "SYSLOG_IDENTIFIER")
        .filter(text -> !text.isEmpty())
        .or(() -> decoded.first(entry, "_COMM").filter(text -> !text.isEmpty()));
    if (ident.isPresent()) {
      String program = ident.get() + pid(entry).orElse("") + ":";
      elements.add(program);
      if (program.equals("kernel:")) {
        elements.add(String.format(Locale.ROOT, "[%12.6f]", uptime(entry) / 1e6));
      }
    }
    List<String> message = new ArrayList<>();
    for (byte[] value : values(entry, "MESSAGE")) {
      message.add(decoded.text(value));
    }
    elements.add(String.join(" ", message));
    String line = String.join(" ", elements).replace("\n", "\\n");
    long micros = number(entry, "_SOURCE_REALTIME_TIMESTAMP")
        .or(() -> number(entry, "__REALTIME_TIMESTAMP"))
        .orElseThrow(() -> new IllegalArgumentException("a journal entry without"
            + " __REALTIME_TIMESTAMP: " + abbreviate(entry.toString()))).longValue();
    String cursor = values(entry, "__CURSOR").stream().findFirst()
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .orElseThrow(() -> new IllegalArgumentException("a journal entry without __CURSOR: "
            + abbreviate(entry.toString())));
    // fail2ban: mktime(date.timetuple()) + date.microsecond / 1e6
    double time = Math.floorDiv(micros, 1_000_000L) + Math.floorMod(micros, 1_000_000L) / 1e6;
    return new JournalEntry(line, time, cursor, decoded.bad);
  }

  /** Decodes values, noting whether one was not UTF-8. */
  private static final class Decoded {
    boolean bad;

    Optional<String> first(JsonObject entry, String field) {
      List<byte[]> values = values(entry, field);
      return values.isEmpty() ? Optional.empty() : Optional.of(text(values.get(0)));
    }

    String text(byte[] bytes) {
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        bad = true;
        return PythonReplace.decode(bytes);
      }
    }
  }

  /**
   * {@code [PID]} from {@code SYSLOG_PID}, else {@code _PID}, as fail2ban formats them after
   * python-systemd converted them with {@code int()}: a number that is 0 or not there falls
   * through to the next field; a value that is no decimal number is tried as a Python literal
   * ({@code 0x1f}), and is shown as Python shows bytes otherwise.
   */
  private static Optional<String> pid(JsonObject entry) {
    for (String field : List.of("SYSLOG_PID", "_PID")) {
      List<byte[]> values = values(entry, field);
      if (values.isEmpty()) {
        continue;
      }
      byte[] value = values.get(0);
      Optional<BigInteger> number = decimal(value);
      if (number.isPresent()) {
        if (number.get().signum() == 0) {
          continue;
        }
        return Optional.of("[" + number.get() + "]");
      }
      if (value.length == 0) {
        continue;
      }
      return Optional.of("[" + anyBase(value).map(BigInteger::toString)
          .orElseGet(() -> bytesRepr(value)) + "]");
    }
    return Optional.empty();
  }

  /** The kernel's uptime at the entry, microseconds. */
  private static long uptime(JsonObject entry) {
    return number(entry, "_SOURCE_MONOTONIC_TIMESTAMP")
        .or(() -> number(entry, "__MONOTONIC_TIMESTAMP")).map(BigInteger::longValue).orElse(0L);
  }

  private static Optional<BigInteger> number(JsonObject entry, String field) {
    List<byte[]> values = values(entry, field);
    return values.isEmpty() ? Optional.empty() : decimal(values.get(0));
  }

  /** Python's {@code int(bytes)}: surrounding whitespace, a sign, digits with single _. */
  static Optional<BigInteger> decimal(byte[] value) {
    String text = ascii(value).strip();
    if (!DECIMAL.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of(new BigInteger(text.replace("_", "")));
  }

  /** Python's {@code int(bytes, 0)}: a literal with its base prefix. */
  static Optional<BigInteger> anyBase(byte[] value) {
    Matcher literal = ANY_BASE.matcher(ascii(value).strip());
    if (!literal.matches()) {
      return Optional.empty();
    }
    int[] radix = {16, 8, 2, 10};
    for (int group = 2; group <= 5; group++) {
      if (literal.group(group) != null) {
        BigInteger number = new BigInteger(literal.group(group).replace("_", ""),
            radix[group - 2]);
        return Optional.of(literal.group(1).equals("-") ? number.negate() : number);
      }
    }
    return Optional.empty();
  }

  /** Bytes as Python's {@code repr} shows them: {@code b'abc\xff'}. */
  static String bytesRepr(byte[] value) {
    boolean single = false;
    boolean dbl = false;
    for (byte b : value) {
      single |= b == '\'';
      dbl |= b == '"';
    }
    char quote = single && !dbl ? '"' : '\'';
    StringBuilder text = new StringBuilder("b").append(quote);
    for (byte b : value) {
      int c = b & 0xff;
      if (c == quote || c == '\\') {
        text.append('\\').append((char) c);
      } else if (c == '\t') {
        text.append("\\t");
      } else if (c == '\n') {
        text.append("\\n");
      } else if (c == '\r') {
        text.append("\\r");
      } else if (c < 0x20 || c >= 0x7f) {
        text.append(String.format(Locale.ROOT, "\\x%02x", c));
      } else {
        text.append((char) c);
      }
    }
    return text.append(quote).toString();
  }

  /** Bytes as ASCII, any other byte as a character that no number pattern accepts. */
  private static String ascii(byte[] value) {
    StringBuilder text = new StringBuilder(value.length);
    for (byte b : value) {
      text.append(b >= 0 ? (char) b : '\uFFFD');
    }
    return text.toString();
  }

  /** The values of a field, as bytes: none, one, or several for a repeated field. */
  static List<byte[]> values(JsonObject entry, String field) {
    JsonElement element = entry.get(field);
    if (element == null || element.isJsonNull()) {
      return List.of();
    }
    if (element.isJsonArray() && !isBinary(element.getAsJsonArray())) {
      List<byte[]> values = new ArrayList<>();
      for (JsonElement value : element.getAsJsonArray()) {
        if (!value.isJsonNull()) {
          values.add(bytes(value));
        }
      }
      return values;
    }
    return List.of(bytes(element));
  }

  /** An array of numbers is one binary value; an array of strings and arrays, several. */
  private static boolean isBinary(JsonArray array) {
    for (JsonElement element : array) {
      if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
        return false;
      }
    }
    return true;
  }

  private static byte[] bytes(JsonElement value) {
    if (value.isJsonArray()) {
      JsonArray array = value.getAsJsonArray();
      byte[] bytes = new byte[array.size()];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) array.get(i).getAsInt();
      }
      return bytes;
    }
    JsonPrimitive primitive = value.getAsJsonPrimitive();
    return primitive.getAsString().getBytes(StandardCharsets.UTF_8);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
