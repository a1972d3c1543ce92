package dev.vouch.cli;

/** The --format values. */
final class Formats {
  private Formats() {}

  static void check(String format) {
    if (!format.equals("text") && !format.equals("json")) {
      throw new UsageException("--format: expected text or json. Found: " + format);
    }
  }
}
