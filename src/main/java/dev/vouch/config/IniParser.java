package dev.vouch.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses one file as fail2ban's parser does (Python's strict {@code ConfigParser} with
 * {@code inline_comment_prefixes=';'}).
 *
 * <ul>
 *   <li>{@code [section]} headers, case-sensitive; {@code [DEFAULT]} collects the defaults.
 *   <li>{@code name = value} or {@code name: value}, split at the first {@code =} or {@code :};
 *       names are lower-cased.
 *   <li>Lines starting with {@code #} or {@code ;} are comments; an inline comment needs
 *       whitespace before its {@code ;} ({@code a # b} keeps the {@code # b}).
 *   <li>A line indented deeper than its option continues the value. Blank lines inside a value
 *       are kept, comment lines are skipped, trailing blank lines are dropped.
 *   <li>A section or an option twice in one file is an error.
 * </ul>
 */
final class IniParser {
  static final String DEFAULT = "DEFAULT";

  private final Path file;
  private final Map<String, IniOption> defaults = new LinkedHashMap<>();
  private final Map<String, SectionBuilder> sections = new LinkedHashMap<>();
  private final Map<String, Integer> optionLines = new HashMap<>();
  private final List<OptionBuilder> options = new ArrayList<>();
  private SectionBuilder section;
  private OptionBuilder option;
  private int indentLevel;

  private IniParser(Path file) {
    this.file = file;
  }

  /**
   * Parses a UTF-8 file.
   *
   * @throws ConfigException for unreadable files, invalid UTF-8 and syntax errors, with file:line
   */
  static IniFile parse(Path file) {
    IniParser parser = new IniParser(file);
    List<String> lines = splitLines(decode(file));
    for (int i = 0; i < lines.size(); i++) {
      parser.line(lines.get(i), i + 1);
    }
    return parser.build();
  }

  private void line(String line, int number) {
    int commentStart = commentStart(line);
    String value = strip(commentStart < 0 ? line : line.substring(0, commentStart));
    Origin origin = new Origin(file, number);
    if (value.isEmpty()) {
      if (commentStart < 0 && option != null) {
        option.lines.add(Text.of("", origin));
      }
      return;
    }
    int indent = 0;
    while (indent < line.length() && isSpace(line.charAt(indent))) {
      indent++;
    }
    if (option != null && indent > indentLevel) {
      option.lines.add(Text.of(value, origin));
      return;
    }
    indentLevel = indent;
    int close = value.lastIndexOf(']');
    if (value.startsWith("[") && close > 1) {
      startSection(value.substring(1, close), origin);
    } else if (section == null) {
      throw new ConfigException(origin,
          "expected a [section] header before the first option. Found: " + value);
    } else {
      startOption(value, origin);
    }
  }

  private void startSection(String name, Origin origin) {
    option = null;
    if (name.equals(DEFAULT)) {
      section = new SectionBuilder(DEFAULT, origin, defaults);
      return;
    }
    SectionBuilder earlier = sections.get(name);
    if (earlier != null) {
      throw new ConfigException(origin, "section [" + name + "] appears twice in this file "
          + "(first at line " + earlier.origin.line() + "); write its options under one header");
    }
    section = new SectionBuilder(name, origin, new LinkedHashMap<>());
    sections.put(name, section);
  }

  private void startOption(String text, Origin origin) {
    int delimiter = firstDelimiter(text);
    String name = delimiter < 0 ? "" : strip(text.substring(0, delimiter));
    if (name.isEmpty()) {
      throw new ConfigException(origin,
          "expected 'name = value', a [section] header or an indented continuation line. Found: "
              + text);
    }
    name = name.toLowerCase(Locale.ROOT);
    Integer earlier = optionLines.putIfAbsent(section.name + "\0" + name, origin.line());
    if (earlier != null) {
      throw new ConfigException(origin, "[" + section.name + "] " + name
          + " is set twice in this file (first at line " + earlier
          + "); a key may appear once per section in a file, later files override it");
    }
    option = new OptionBuilder(section.options, name, origin);
    option.lines.add(Text.of(strip(text.substring(delimiter + 1)), origin));
    section.options.put(name, null); // keeps the file order; the value is set by build()
    options.add(option);
  }

  private IniFile build() {
    for (OptionBuilder pending : options) {
      pending.target.put(pending.name, pending.build());
    }
    Map<String, IniFile.Section> built = new LinkedHashMap<>();
    sections.forEach((name, builder) ->
        built.put(name, new IniFile.Section(name, builder.origin, builder.options)));
    return new IniFile(file, defaults, built);
  }

  /** Index of an inline {@code ;} comment (at the start or after whitespace), or -1. */
  private static int commentStart(String line) {
    String stripped = strip(line);
    if (stripped.startsWith("#") || stripped.startsWith(";")) {
      return 0;
    }
    for (int i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1)) {
      if (i == 0 || isSpace(line.charAt(i - 1))) {
        return i;
      }
    }
    return -1;
  }

  private static int firstDelimiter(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '=' || text.charAt(i) == ':') {
        return i;
      }
    }
    return -1;
  }

  /** Python's {@code str.isspace} for one character. */
  static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }

  /** Python's {@code str.strip()}. */
  static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  private static String decode(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new ConfigException(new Origin(file, line),
          "not valid UTF-8 text; fail2ban and vouch read config files as UTF-8");
    }
    decoder.flush(out);
    String text = out.flip().toString();
    // Python would keep a byte order mark and then fail on the first header: accept the file.
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** Python's universal newlines: {@code \n}, {@code \r\n} and {@code \r} end a line. */
  private static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /** A section being read. */
  private record SectionBuilder(String name, Origin origin, Map<String, IniOption> options) {}

  /** An option whose continuation lines are still being read. */
  private static final class OptionBuilder {
    final Map<String, IniOption> target;
    final String name;
    final Origin origin;
    final List<Text> lines = new ArrayList<>();

    OptionBuilder(Map<String, IniOption> target, String name, Origin origin) {
      this.target = target;
      this.name = name;
      this.origin = origin;
    }

    /** Lines joined with newlines, trailing blank lines removed (Python's {@code rstrip}). */
    IniOption build() {
      int last = lines.size();
      while (last > 1 && lines.get(last - 1).length() == 0) {
        last--;
      }
      Text.Builder value = new Text.Builder();
      for (int i = 0; i < last; i++) {
        Text line = lines.get(i);
        if (i > 0) {
          value.append('\n', line.length() > 0 ? line.originAt(0) : origin, 0);
        }
        value.append(line, 0, line.length(), 0);
      }
      return new IniOption(name, value.build(), origin);
    }
  }
}
