package dev.vouch.filter;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Expands fail2ban's regex tags ({@code <HOST>}, {@code <ADDR>}, {@code <F-USER>…</F-USER>},
 * {@code <SKIPLINES>} …) into regex text, as {@code Regex._resolveHostTag} does.
 *
 * <p>One deliberate difference: fail2ban's IPv6 expression ends in {@code (?<=:):}, a lookbehind
 * that RE2 cannot run. Every unit of the repeated group before it ends in ':', so the lookbehind
 * always holds and a plain ':' matches the same addresses; with it, filters that fail2ban writes
 * in plain regex stay in RE2.
 */
final class FilterTags {
  static final String IP4 = "(?:::f{4,6}:)?(?P<ip4>(?:\\d{1,3}\\.){3}\\d{1,3})";
  static final String IP6 = "(?P<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:))";
  static final String DNS = "(?P<dns>[\\w\\-.^_]*\\w)";
  static final String ADDR = "\\[?(?:" + IP4 + "|" + IP6 + ")\\]?";
  static final String HOST = "(?:" + ADDR + "|" + DNS + ")";
  static final String CIDR = "(?P<cidr>\\d+)";
  static final String SUBNET = "\\[?(?:" + IP4 + "|" + IP6 + ")(?:/" + CIDR + ")?\\]?";

  private static final Map<String, String> STATIC = Map.ofEntries(
      Map.entry("IP4", IP4), Map.entry("F-IP4/", IP4),
      Map.entry("IP6", IP6), Map.entry("F-IP6/", IP6),
      Map.entry("ADDR", ADDR), Map.entry("F-ADDR/", ADDR),
      Map.entry("CIDR", CIDR), Map.entry("F-CIDR/", CIDR),
      Map.entry("SUBNET", SUBNET), Map.entry("F-SUBNET/", SUBNET),
      Map.entry("DNS", DNS), Map.entry("F-DNS/", DNS),
      Map.entry("F-ID/", "(?P<fid>\\S+)"),
      Map.entry("F-PORT/", "(?P<fport>\\w+)"));

  private FilterTags() {}

  /**
   * Expands the tags of {@code regex}. With {@code useDns} false ({@code usedns = no}),
   * {@code <HOST>} matches addresses only.
   */
  static String expand(String regex, boolean useDns) {
    StringBuilder out = new StringBuilder(regex.length() + 64);
    Set<String> open = new HashSet<>();
    int skipLines = 0;
    int i = 0;
    while (i < regex.length()) {
      int end = tagEnd(regex, i);
      if (end < 0) {
        out.append(regex.charAt(i++));
        continue;
      }
      String tag = regex.substring(i, end);
      String name = tag.substring(1, tag.length() - 1);
      i = end;
      if (name.equals("HOST")) {
        out.append(useDns ? HOST : ADDR);
      } else if (name.equals("SKIPLINES")) {
        out.append("\\n(?P<skiplines").append(skipLines++).append(">(?:(?:.*\\n)*?))");
      } else if (STATIC.containsKey(name)) {
        out.append(STATIC.get(name));
      } else if (isCustomName(name)) {
        boolean closing = name.startsWith("/");
        String field = name.substring(closing ? 3 : 2);
        if (closing) {
          out.append(open.contains(field) ? ")" : tag);
        } else {
          open.add(field);
          out.append("(?P<").append(groupName(field)).append('>');
        }
      } else {
        out.append(tag);
      }
    }
    return out.toString();
  }

  /** The group name of a {@code <F-NAME>} field: lower case, with ID and PORT renamed. */
  static String groupName(String field) {
    String name = field.toLowerCase(java.util.Locale.ROOT);
    return switch (name) {
      case "id" -> "fid";
      case "port" -> "fport";
      default -> name;
    };
  }

  /** {@code (/?)F-([A-Z0-9_\-]+)}: only upper-case names are fields. */
  private static boolean isCustomName(String name) {
    int start = name.startsWith("/") ? 1 : 0;
    if (!name.startsWith("F-", start) || name.length() == start + 2) {
      return false;
    }
    for (int i = start + 2; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** End of a tag {@code </?[\w\-]+/?>} starting at {@code start}, or -1. */
  private static int tagEnd(String regex, int start) {
    if (regex.charAt(start) != '<') {
      return -1;
    }
    int i = start + 1;
    if (i < regex.length() && regex.charAt(i) == '/') {
      i++;
    }
    int nameStart = i;
    while (i < regex.length()) {
      int cp = regex.codePointAt(i);
      if (!(Character.isLetterOrDigit(cp) || cp == '_' || cp == '-')) {
        break;
      }
      i += Character.charCount(cp);
    }
    if (i == nameStart) {
      return -1;
    }
    if (i < regex.length() && regex.charAt(i) == '/') {
      i++;
    }
    return i < regex.length() && regex.charAt(i) == '>' ? i + 1 : -1;
  }
}
