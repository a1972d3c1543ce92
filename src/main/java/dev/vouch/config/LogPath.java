package dev.vouch.config;

import java.util.Objects;

/**
 * One line of a jail's {@code logpath}: a path, possibly a glob (not expanded here), and whether
 * to start reading at its end.
 *
 * @param path the file, or a glob such as {@code /var/log/apache2/*error.log}
 * @param tail true for {@code PATH tail} (start at the end), false for {@code head}, the default
 * @param origin the line where it was written
 */
public record LogPath(String path, boolean tail, Origin origin) {

  public LogPath {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(origin, "origin");
  }
}
