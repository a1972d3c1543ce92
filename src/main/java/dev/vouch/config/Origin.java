package dev.vouch.config;

import java.nio.file.Path;
import java.util.Objects;

/** The place where a config value was written: a file and a line number (from 1). */
public record Origin(Path file, int line) {

  public Origin {
    Objects.requireNonNull(file, "file");
    if (line < 1) {
      throw new IllegalArgumentException("line must be 1 or more: " + line);
    }
  }

  /** {@code file:line}, the form compilers and editors understand. */
  @Override
  public String toString() {
    return file + ":" + line;
  }
}
