package dev.vouch.filter;

import java.util.Objects;

/**
 * Where a template found the date of a line: group 1 of its match, {@code [start, end)}. The
 * filter's regexes see the line without it. An empty span (e.g. {@code {NONE}}, or a group 1 that
 * did not take part) means that a template matched but there is no date text: fail2ban then uses
 * the last date if it is less than a minute old, else now.
 *
 * @param match the template's match, which {@link DateSession#parse} reads the fields from
 */
record DateSpan(int start, int end, DateTemplate template, RegexMatch match) {
  DateSpan {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(match, "match");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }

  boolean isEmpty() {
    return start == end;
  }

  /** The date text of {@code line}, the line this span was found in. */
  String text(CharSequence line) {
    return line.subSequence(start, end).toString();
  }

  /** The line without the date text: what fail2ban's regexes see. */
  String cut(CharSequence line) {
    return new StringBuilder(line.length() - (end - start))
        .append(line, 0, start).append(line, end, line.length()).toString();
  }
}
