package dev.vouch.action;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fail2ban's tag substitution for action commands ({@code CommandAction.replaceTag} and
 * {@code replaceDynamicTags}).
 *
 * <p>Static tags are the action's own properties, substituted recursively, with the
 * family-specific value ({@code name?family=inet6}) winning for that family. Dynamic tags are
 * the values of one ban ({@code <ip>}, {@code <matches>}, {@code <F-USER>} ...), substituted
 * once. A dynamic value that holds any shell-special character is never put into the script: the
 * tag becomes a shell variable {@code $f2bV_<tag>} assigned from a positional argument, so that
 * a user name like {@code a$(touch pwned);b} reaches the shell as data only.
 */
final class ActionTags {
  static final Pattern TAG = Pattern.compile("<([^ <>]+)>");
  private static final Pattern CUSTOM_TAG = Pattern.compile("<F-([A-Z0-9_\\-]+)>");
  private static final Pattern UNSAFE = Pattern.compile("[\\\\#&;`|*?~<>^()\\[\\]{}$'\"\\n\\r]");
  private static final int MAX_PASSES = 25;

  private ActionTags() {}

  /** A script for {@code /bin/sh -c} and the positional arguments its variables read. */
  record ShellCommand(String script, List<String> arguments) {
    ShellCommand {
      arguments = List.copyOf(arguments);
    }
  }

  /**
   * Substitutes the action's properties into {@code command} for {@code family} (empty for none),
   * recursively; unknown tags stay as they are (they may be dynamic).
   */
  static String replaceStatic(String command, Map<String, String> properties, String family) {
    String query = command;
    for (int pass = 0; pass <= MAX_PASSES; pass++) {
      if (query.indexOf('<') < 0) {
        return query;
      }
      String next = substitute(query, tag -> {
        String value = family.isEmpty() ? null : properties.get(tag + "?family=" + family);
        if (value == null) {
          value = properties.get(tag);
        }
        return value != null ? value : extraTag(tag);
      });
      if (next.equals(query)) {
        return next;
      }
      query = next;
    }
    throw new IllegalArgumentException("tags refer to each other in a loop: " + command);
  }

  /** The tags fail2ban adds everywhere: {@code <br>}, {@code <sp>}, the host names. */
  private static String extraTag(String tag) {
    switch (tag) {
      case "br":
        return "\n";
      case "sp":
        return " ";
      case "fq-hostname":
      case "sh-hostname":
        try {
          InetAddress local = InetAddress.getLocalHost();
          return tag.equals("fq-hostname") ? local.getCanonicalHostName()
              : local.getHostName().split("\\.", 2)[0];
        } catch (UnknownHostException e) {
          return "localhost";
        }
      default:
        return null;
    }
  }

  /** Substitutes the dynamic values of one ban, keeping unsafe ones out of the script. */
  static ShellCommand replaceDynamic(String command, Function<String, String> values,
      Map<String, String> fields) {
    Map<String, String> variables = new LinkedHashMap<>();
    String script = substitute(command, tag -> {
      String value = values.apply(tag);
      if (value == null) {
        return extraTag(tag);
      }
      return escape(tag, value, variables);
    });
    if (script.indexOf('<') >= 0) {
      Matcher custom = CUSTOM_TAG.matcher(script);
      StringBuilder out = new StringBuilder();
      while (custom.find()) {
        String name = fieldName(custom.group(1));
        String value = fields.get(name);
        // fail2ban names the variable after the mapped, lower-case field: $f2bV_F_user.
        custom.appendReplacement(out, Matcher.quoteReplacement(
            value == null ? "" : escape("F_" + name, value, variables)));
      }
      custom.appendTail(out);
      script = out.toString();
    }
    if (variables.isEmpty()) {
      return new ShellCommand(script, List.of());
    }
    // fail2ban's Utils.buildShellCmd: "f2bV_x=$0 f2bV_y=$1 \n<script>" with the values as
    // arguments of sh -c.
    StringBuilder assignments = new StringBuilder();
    List<String> arguments = new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, String> variable : variables.entrySet()) {
      assignments.append(variable.getKey()).append("=$").append(index++).append(' ');
      arguments.add(variable.getValue());
    }
    return new ShellCommand(assignments + "\n" + script, arguments);
  }

  private static String escape(String tag, String value, Map<String, String> variables) {
    if (!UNSAFE.matcher(value).find()) {
      return value;
    }
    String variable = "f2bV_" + tag.replaceAll("\\W", "_");
    variables.put(variable, value);
    return "$" + variable;
  }

  /** {@code <F-USER>} reads field {@code user}; {@code ID} and {@code PORT} map as in filters. */
  static String fieldName(String tag) {
    String name = tag.toLowerCase(Locale.ROOT);
    return switch (name) {
      case "id" -> "fid";
      case "port" -> "fport";
      default -> name;
    };
  }

  private static String substitute(String text, Function<String, String> lookup) {
    Matcher matcher = TAG.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (matcher.find()) {
      String value = lookup.apply(matcher.group(1));
      if (value == null) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 32);
      }
      out.append(text, last, matcher.start()).append(value);
      last = matcher.end();
    }
    if (out == null) {
      return text;
    }
    return out.append(text, last, text.length()).toString();
  }

  /** A time as Python's {@code str(float)} prints it ({@code 1700000000.0}). */
  static String pythonFloat(double value) {
    String text = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    return text.contains(".") ? text : text + ".0";
  }
}
