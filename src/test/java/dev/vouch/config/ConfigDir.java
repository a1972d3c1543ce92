package dev.vouch.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A config directory under test: writes files relative to it. */
record ConfigDir(Path root) {

  /** Writes {@code text} (UTF-8) to {@code root/relative}, creating directories. */
  Path write(String relative, String text) {
    Path file = root.resolve(relative);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  Path path(String relative) {
    return root.resolve(relative);
  }

  /** {@code relative:line}, as an origin of this directory prints. */
  String at(String relative, int line) {
    return new Origin(root.resolve(relative), line).toString();
  }
}
