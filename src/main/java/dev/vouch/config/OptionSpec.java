package dev.vouch.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A filter or action reference with arguments, {@code name[key=value, ...]}, as fail2ban's
 * {@code extractOptions} reads it.
 *
 * <p>A value is {@code "quoted"}, {@code 'quoted'}, or bare up to the next {@code ,} or
 * {@code ]}; quotes are needed for commas ({@code dummy[target="/srv/x, y"]}). Groups may be
 * chained: {@code act[a=1][b=2]}. Keys and values are stripped of surrounding whitespace.
 *
 * @param name everything before the first {@code [}, as written
 * @param options the arguments in the order written; a repeated key keeps its last value
 */
public record OptionSpec(String name, Map<String, String> options) {
  // UNIX_LINES: like Python, "$" may match before a final "\n" only
  private static final int FLAGS =
      Pattern.DOTALL | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
  private static final Pattern SPEC = Pattern.compile("^([^\\[]+)(?:\\[(.*)\\])?\\s*$", FLAGS);
  private static final Pattern OPTION = Pattern.compile(
      "\\s*([\\w\\-_.]+)=(?:\"([^\"]*)\"|'([^']*)'|([^,\\]]*))(?:,|\\]\\s*\\[|$|(?<wrongA>.+))"
          + "|,?\\s*$|(?<wrongB>.+)",
      FLAGS);

  public OptionSpec {
    Objects.requireNonNull(name, "name");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /**
   * Reads {@code name[key=value, ...]}.
   *
   * @throws ConfigException "unexpected syntax at ..." when the arguments are malformed
   */
  public static OptionSpec parse(String text) {
    Matcher spec = SPEC.matcher(text);
    // lookingAt, like Python's re.match: "$" may match before a final newline
    if (!spec.lookingAt()) {
      throw new ConfigException("expected NAME or NAME[key=value, ...]. Found: " + text);
    }
    Map<String, String> options = new LinkedHashMap<>();
    String arguments = spec.group(2);
    if (arguments != null) {
      Matcher option = OPTION.matcher(arguments);
      while (option.find()) {
        if (option.group("wrongA") != null) {
          throw new ConfigException("unexpected syntax at " + option.start("wrongA")
              + " after option '" + option.group(1) + "' in " + text + ": "
              + abbreviate(option.group("wrongA"))
              + ". Expected key=value, with quotes around a value that holds , or ]");
        }
        if (option.group("wrongB") != null) {
          throw new ConfigException("expected key=value at " + option.start("wrongB") + " in "
              + text + ". Found: " + abbreviate(option.group("wrongB")));
        }
        if (option.group(1) == null) {
          continue;
        }
        String value = option.group(2) != null ? option.group(2)
            : option.group(3) != null ? option.group(3) : option.group(4);
        options.put(IniParser.strip(option.group(1)), IniParser.strip(value));
      }
    }
    return new OptionSpec(spec.group(1), options);
  }

  /**
   * Reads a value holding several references, one per line or separated by spaces outside
   * brackets, as {@code action =} does ({@code splitWithOptions}).
   *
   * @throws ConfigException when one of them is malformed
   */
  public static List<OptionSpec> parseList(String text) {
    List<OptionSpec> specs = new ArrayList<>();
    for (String part : OptionSpecSplitter.split(text)) {
      specs.add(parse(part));
    }
    return specs;
  }

  private static String abbreviate(String text) {
    return text.length() <= 25 ? text : text.substring(0, 25);
  }
}
