package dev.vouch.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Which buffered lines a multi-line match covers and which it leaves, as fail2ban's
 * {@code Regex.search} computes them: the lines spanned by the match, less those a
 * {@code <SKIPLINES>} group swallowed.
 */
record MatchedLines(List<LineTuple> matched, List<LineTuple> unmatched) {

  static MatchedLines of(RegexMatch match, String searched, List<LineTuple> original,
      FilterRegex regex) {
    if (original.size() <= 1) {
      return new MatchedLines(original, List.of());
    }
    int lineStart = searched.lastIndexOf('\n', match.start()) + 1;
    int endNewline = searched.indexOf('\n', Math.max(match.end() - 1, 0));
    int lineEnd = endNewline < 0 ? searched.length() : endNewline + 1;
    int first = count(searched, lineStart);
    int last = Math.min(count(searched, lineEnd), original.size());
    first = Math.min(first, last);
    List<LineTuple> matched = new ArrayList<>(original.subList(first, last));
    List<LineTuple> unmatched = new ArrayList<>(original.subList(0, first));
    int from = 0;
    for (String skipped : skippedLines(match, regex)) {
      for (int i = from; i < matched.size(); i++) {
        LineTuple line = matched.get(i);
        if (line.withoutDate().equals(skipped)) {
          unmatched.add(matched.remove(i));
          from = i;
          break;
        }
      }
    }
    unmatched.addAll(original.subList(last, original.size()));
    return new MatchedLines(matched, unmatched);
  }

  private static int count(String text, int end) {
    int lines = 0;
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    return lines;
  }

  /** The lines captured by {@code skiplines0}, {@code skiplines1} ... in order. */
  private static List<String> skippedLines(RegexMatch match, FilterRegex regex) {
    StringBuilder skipped = new StringBuilder();
    for (int n = 0; ; n++) {
      int group = regex.regex().group("skiplines" + n);
      if (group < 0) {
        break;
      }
      String text = match.group(group);
      if (text != null) {
        skipped.append(text);
      }
    }
    if (skipped.length() == 0) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(List.of(skipped.toString().split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
