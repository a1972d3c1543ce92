package dev.vouch.filter;

// TEMPORARY STUB: replaced by the real date detection.
final class DateDetector {
  private static final CompiledRegex SYSLOG = CompiledRegex.compile(
      "^(?:\\W{0,2})?((?:\\w{3} )?\\w{3} [ \\d]?\\d \\d{1,2}:\\d{2}:\\d{2})", 0);

  static DateDetector defaults() {
    return new DateDetector();
  }

  static DateDetector parse(String datepattern) {
    return new DateDetector();
  }

  Session session() {
    return new Session();
  }

  String describe() {
    return "stub";
  }

  final class Session {
    DateSpan find(CharSequence line) {
      RegexMatch match = SYSLOG.search(line);
      return match == null ? null : new DateSpan(match.start(1), match.end(1), "syslog");
    }

    double parse(CharSequence line, DateSpan span, TimeContext context) {
      return context.now();
    }
  }
}
