package dev.vouch.filter;

/** A regex as written in a config file, with where it was written ({@code file:line}). */
public record RegexSource(String text, String origin) {
  public RegexSource {
    if (text == null || origin == null) {
      throw new NullPointerException("text and origin are required");
    }
  }
}
