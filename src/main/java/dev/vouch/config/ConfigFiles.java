package dev.vouch.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and reads the files behind a config name, as fail2ban's {@code ConfigReaderUnshared.read}
 * and {@code SafeConfigParserWithIncludes} do, and caches what it parsed.
 *
 * <p>Name {@code X} means {@code X.conf}, {@code X.d/*.conf} (sorted), {@code X.local},
 * {@code X.d/*.local} (sorted), those that exist. Each file brings its {@code [INCLUDES]}:
 * {@code before} files are read before it and {@code after} files after it, recursively, paths
 * relative to the including file, a file that includes one of its includers skipped. Every file
 * in the chain is followed by its {@code .local} sibling when that exists.
 *
 * <p>Confined to one thread: one instance serves one reading of a configuration.
 */
final class ConfigFiles {
  private static final String INCLUDES = "INCLUDES";
  private static final System.Logger LOG = System.getLogger("vouch.config");

  private final Map<Path, Optional<IniFile>> parsed = new HashMap<>();
  private final Map<Path, MergedConfig> merged = new HashMap<>();

  /**
   * The merged config of name {@code base} ({@code dir/name} without extension), read once per
   * instance. Callers must not change it.
   */
  MergedConfig read(Path base) {
    return merged.computeIfAbsent(base, key -> MergedConfig.of(withIncludes(overlay(key))));
  }

  /** A merged config of its own, for a caller that adds options to it. */
  MergedConfig readPrivate(Path base) {
    return MergedConfig.of(withIncludes(overlay(base)));
  }

  /** True when {@code base.conf} or {@code base.local} is a file. */
  static boolean exists(Path base) {
    return Files.isRegularFile(sibling(base, ".conf"))
        || Files.isRegularFile(sibling(base, ".local"));
  }

  /** {@code X.conf}, {@code X.d/*.conf}, {@code X.local}, {@code X.d/*.local}: those that exist. */
  static List<Path> overlay(Path base) {
    Path dropIns = sibling(base, ".d");
    List<Path> files = new ArrayList<>();
    files.add(sibling(base, ".conf"));
    files.addAll(sortedFiles(dropIns, "*.conf"));
    files.add(sibling(base, ".local"));
    files.addAll(sortedFiles(dropIns, "*.local"));
    return files.stream().filter(Files::isRegularFile).toList();
  }

  private static Path sibling(Path base, String suffix) {
    return base.resolveSibling(base.getFileName() + suffix);
  }

  /** Like Python's {@code sorted(glob(dir/pattern))}: hidden files excluded. */
  private static List<Path> sortedFiles(Path dir, String pattern) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, pattern)) {
      for (Path entry : entries) {
        if (!entry.getFileName().toString().startsWith(".")) {
          files.add(entry);
        }
      }
    } catch (IOException e) {
      throw new ConfigException("cannot list " + dir + ": " + e.getMessage());
    }
    files.sort(Comparator.comparing(Path::toString));
    return files;
  }

  /** The files to read for {@code files}, includes resolved ({@code _getIncludes}). */
  List<IniFile> withIncludes(List<Path> files) {
    return withIncludes(files, List.of());
  }

  private List<IniFile> withIncludes(List<Path> files, List<Path> includers) {
    List<IniFile> result = new ArrayList<>();
    for (Path file : withLocals(files)) {
      result.addAll(includesOf(file, includers));
    }
    return result;
  }

  /** Each file followed by its {@code .local} sibling, unless already listed. */
  private static List<Path> withLocals(List<Path> files) {
    List<Path> result = new ArrayList<>();
    for (Path file : files) {
      result.add(file);
      String name = file.getFileName() == null ? "" : file.getFileName().toString();
      int dot = name.lastIndexOf('.');
      String stem = dot > 0 ? name.substring(0, dot) : name;
      Path local = file.resolveSibling(stem + ".local");
      if (!files.contains(local) && Files.isRegularFile(local)) {
        result.add(local);
      }
    }
    return result;
  }

  private List<IniFile> includesOf(Path resource, List<Path> includers) {
    Optional<IniFile> file = parse(resource);
    if (file.isEmpty()) {
      return List.of();
    }
    List<IniFile> before = new ArrayList<>();
    List<IniFile> after = new ArrayList<>();
    if (file.get().sections().containsKey(INCLUDES)) {
      MergedConfig alone = MergedConfig.of(List.of(file.get()));
      List<Path> chain = new ArrayList<>(includers);
      chain.add(resource);
      include(alone, "before", resource, includers, chain, before);
      include(alone, "after", resource, includers, chain, after);
    }
    List<IniFile> result = new ArrayList<>(before);
    result.add(file.get());
    result.addAll(after);
    return result;
  }

  private void include(MergedConfig alone, String option, Path resource, List<Path> includers,
      List<Path> chain, List<IniFile> into) {
    Optional<Text> value = alone.get(INCLUDES, option);
    if (value.isEmpty()) {
      return;
    }
    Path dir = resource.getParent() == null ? Path.of("") : resource.getParent();
    String text = value.get().toString();
    int at = 0;
    for (String line : text.split("\n", -1)) {
      Path included = dir.resolve(line);
      if (!line.isBlank() && !line.endsWith(".local") && !Files.isRegularFile(included)
          && !Files.isRegularFile(localSibling(included))) {
        // fail2ban reads a missing include as empty; a typo there should not go unnoticed.
        // (An included .local, such as common.conf's "after = common.local", is optional.)
        Origin origin = value.get().length() > at ? value.get().originAt(at)
            : new Origin(resource, 0);
        LOG.log(System.Logger.Level.WARNING, origin + ": [INCLUDES] " + option + ": " + line
            + " does not exist in " + dir + "; read as empty, as fail2ban does");
      }
      if (!includers.contains(included)) {
        into.addAll(withIncludes(List.of(included), chain));
      }
      at += line.length() + 1;
    }
  }

  /** {@code name.local} beside {@code name.conf} (fail2ban reads both for an include). */
  private static Path localSibling(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".local");
  }

  private Optional<IniFile> parse(Path file) {
    return parsed.computeIfAbsent(file,
        key -> Files.isRegularFile(key) ? Optional.of(IniParser.parse(key)) : Optional.empty());
  }
}
