package dev.vouch.filter;

/**
 * A log line and where its date is, as fail2ban splits it: the regexes see the line with its
 * date cut out, the matched lines keep it whole. The parts are cut only when asked for, so a line
 * that the literal prefilter rejects costs no copy.
 */
record LineTuple(String line, int dateStart, int dateEnd) {
  static LineTuple undated(String line) {
    return new LineTuple(line, 0, 0);
  }

  String before() {
    return line.substring(0, dateStart);
  }

  String date() {
    return line.substring(dateStart, dateEnd);
  }

  String after() {
    return line.substring(dateEnd);
  }

  /** The text the regexes see. */
  String withoutDate() {
    if (dateEnd == dateStart) {
      return line;
    }
    if (dateStart == 0) {
      return line.substring(dateEnd);
    }
    return line.substring(0, dateStart).concat(line.substring(dateEnd));
  }
}
