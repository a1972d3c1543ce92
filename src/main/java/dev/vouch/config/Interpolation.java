package dev.vouch.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code %(name)s} interpolation of one section, as fail2ban's {@code BasicInterpolationWithName}
 * does it on top of Python's {@code BasicInterpolation}.
 *
 * <p>A name is looked up in the given vars, then the section, then DEFAULT. {@code %%} is a
 * literal {@code %}. Besides plain names: {@code %(__name__)s} is the section's name,
 * {@code %(default/opt)s} reads DEFAULT, {@code %(known/opt)s} the value {@code opt} had in this
 * section before a later file overwrote it (else DEFAULT's), and {@code %(sec/opt)s} another
 * section (else DEFAULT). Values referenced are interpolated in the context of the section being
 * read, so a DEFAULT value using {@code %(port)s} sees the port of the jail that uses it.
 */
final class Interpolation {
  /** Python's {@code MAX_INTERPOLATION_DEPTH}. */
  private static final int MAX_DEPTH = 10;

  private static final Pattern REFERENCE = Pattern.compile("%\\(([^)]+)\\)s");
  private static final Pattern SECTION_OPTION =
      Pattern.compile("([\\w\\-]+)/(.+)", Pattern.UNICODE_CHARACTER_CLASS | Pattern.DOTALL);

  private final MergedConfig config;
  private final String section;
  private final Map<String, Text> vars = new LinkedHashMap<>();

  Interpolation(MergedConfig config, String section, Map<String, Text> vars) {
    this.config = config;
    this.section = section;
    vars.forEach((key, value) -> this.vars.put(key.toLowerCase(Locale.ROOT), value));
  }

  /** The raw value of {@code name} in vars, section or DEFAULT. */
  Optional<Text> lookup(String name) {
    Text value = vars.get(name);
    if (value != null) {
      return Optional.of(value);
    }
    return config.raw(section, name).map(IniOption::value);
  }

  /** {@code raw}, the value of {@code option}, with its references replaced. */
  Text interpolate(String option, Text raw) {
    Text.Builder out = new Text.Builder();
    Deque<String> chain = new ArrayDeque<>();
    chain.add(option);
    expand(out, raw, 0, 1, chain);
    return out.build();
  }

  private void expand(Text.Builder out, Text rest, int deeper, int depth, Deque<String> chain) {
    int start = 0;
    while (start < rest.length()) {
      int percent = rest.indexOf("%", start);
      if (percent < 0) {
        break;
      }
      out.append(rest, start, percent, deeper);
      char next = percent + 1 < rest.length() ? rest.charAt(percent + 1) : 0;
      if (next == '%') {
        out.append(rest, percent, percent + 1, deeper);
        start = percent + 2;
        continue;
      }
      Origin where = rest.originAt(percent);
      Matcher reference = REFERENCE.matcher(rest).region(percent, rest.length());
      if (next != '(' || !reference.lookingAt()) {
        throw new ConfigException(where, "[" + section + "] " + chain.getFirst()
            + ": '%' must be followed by '%' or '(name)s'; write %% for a literal %. Found: "
            + firstLine(rest.subSequence(percent, rest.length())));
      }
      start = reference.end();
      String written = reference.group(1);
      String name = written.toLowerCase(Locale.ROOT);
      Text value = resolve(name, written, where)
          .orElseThrow(() -> missing(where, chain.getFirst(), written));
      int level = rest.depthAt(percent) + deeper + 1;
      if (value.indexOf("%", 0) < 0) {
        out.append(value, 0, value.length(), level);
        continue;
      }
      if (chain.contains(name)) {
        chain.add(name);
        throw new ConfigException(where, "[" + section + "] " + chain.getFirst()
            + ": %(" + written + ")s refers back to itself (" + String.join(" -> ", chain) + ")");
      }
      if (depth >= MAX_DEPTH) {
        throw new ConfigException(where, "[" + section + "] " + chain.getFirst()
            + ": %(...)s references nest more than " + MAX_DEPTH
            + " deep, which fail2ban does not read either");
      }
      chain.add(name);
      expand(out, value, level, depth + 1, chain);
      chain.removeLast();
    }
    out.append(rest, start, rest.length(), deeper);
  }

  private Optional<Text> resolve(String name, String written, Origin where) {
    if (name.equals("__name__")) {
      return Optional.of(Text.of(section, where));
    }
    Optional<Text> plain = lookup(name);
    if (plain.isPresent()) {
      return plain;
    }
    // fail2ban maps %(sec/opt)s under the name as written but looks it up lower-cased, so only
    // lower-case references resolve.
    Matcher sectionOption = SECTION_OPTION.matcher(written);
    if (!written.equals(name) || !sectionOption.matches()) {
      return Optional.empty();
    }
    String other = sectionOption.group(1);
    String option = sectionOption.group(2);
    Optional<IniOption> found = switch (other) {
      case "default" -> Optional.empty();
      case "known" -> config.knownOption(section, option);
      default -> config.hasSection(other)
          ? Optional.ofNullable(config.ownOptions(other).get(option))
          : null;
    };
    if (found == null) {
      return Optional.empty();
    }
    return found.or(() -> Optional.ofNullable(config.defaults().get(option)))
        .map(IniOption::value);
  }

  private ConfigException missing(Origin where, String option, String written) {
    String hint = written.contains("/")
        ? (written.equals(written.toLowerCase(Locale.ROOT))
            ? "; there is no such section or option"
            : "; fail2ban reads section/option references only in lower case")
        : "";
    return new ConfigException(where, "[" + section + "] " + option + ": %(" + written
        + ")s refers to an option that is not set in [" + section + "] or [DEFAULT]" + hint);
  }

  private static String firstLine(CharSequence text) {
    String string = text.toString();
    int newline = string.indexOf('\n');
    return newline < 0 ? string : string.substring(0, newline);
  }
}
