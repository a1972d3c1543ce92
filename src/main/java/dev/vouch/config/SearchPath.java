package dev.vouch.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The directories where filters (or actions) are looked up by name, in order: the first
 * directory holding {@code NAME.conf} or {@code NAME.local} provides the filter, with its whole
 * overlay ({@code NAME.d/}, includes) from that directory.
 *
 * @param kind "filter" or "action", for messages
 */
record SearchPath(String kind, List<Path> directories) {

  SearchPath {
    directories = List.copyOf(directories);
  }

  /**
   * The base path ({@code dir/NAME}, no extension) of a name, or of an absolute path with or
   * without {@code .conf}.
   *
   * @throws ConfigException when no directory has it
   */
  Path locate(String name) {
    Path path = Path.of(name);
    if (path.isAbsolute()) {
      Path base = withoutExtension(path);
      if (!ConfigFiles.exists(base)) {
        throw new ConfigException("no " + kind + " file " + base + ".conf or " + base + ".local");
      }
      return base;
    }
    for (Path directory : directories) {
      Path base = directory.resolve(name);
      if (ConfigFiles.exists(base)) {
        return base;
      }
    }
    String hint = name.endsWith(".conf") || name.endsWith(".local")
        ? " (write the name without .conf or .local)"
        : "";
    throw new ConfigException("no " + kind + " named '" + name + "'" + hint + ": expected "
        + name + ".conf or " + name + ".local in "
        + directories.stream().map(Path::toString).collect(Collectors.joining(", ")));
  }

  /** The main file of a base path: {@code .conf}, or {@code .local} when there is no .conf. */
  static Path mainFile(Path base) {
    Path conf = base.resolveSibling(base.getFileName() + ".conf");
    return Files.isRegularFile(conf)
        ? conf
        : base.resolveSibling(base.getFileName() + ".local");
  }

  private static Path withoutExtension(Path path) {
    String file = path.getFileName().toString();
    for (String extension : List.of(".conf", ".local")) {
      if (file.endsWith(extension) && file.length() > extension.length()) {
        return path.resolveSibling(file.substring(0, file.length() - extension.length()));
      }
    }
    return path;
  }
}
