package dev.vouch.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads filters ({@code filter.d/NAME.conf} and its overlay) the way fail2ban 1.0.2 does.
 *
 * <p>A filter is named, optionally with arguments: {@code sshd}, {@code sshd[mode=aggressive]},
 * or given by absolute path ({@code /etc/fail2ban/filter.d/sshd.conf}). A name is looked up in
 * each directory of the search path in turn; the first that has {@code NAME.conf} or
 * {@code NAME.local} provides the filter. Arguments override {@code [Init]}, which overrides
 * {@code [Definition]}.
 *
 * <p>Confined to one thread: it caches the files it parsed.
 */
public final class FilterReader {
  private final SearchPath searchPath;
  private final ConfigFiles files;

  /** @param searchPath directories to look in, first match wins */
  public FilterReader(List<Path> searchPath) {
    this(searchPath, new ConfigFiles());
  }

  FilterReader(List<Path> searchPath, ConfigFiles files) {
    this.searchPath = new SearchPath("filter", searchPath);
    this.files = files;
  }

  /** A filter on its own for a log file ({@code logtype = file}): {@link #read(String, String)}. */
  public FilterDefinition read(String filter) {
    return read(filter, "auto");
  }

  /**
   * A filter on its own, outside a jail, as fail2ban-regex reads it.
   *
   * @param filter {@code NAME}, {@code NAME[key=value, ...]} or an absolute path
   * @param backend the backend the log comes from: {@code systemd...} sets {@code logtype =
   *     journal}
   * @throws ConfigException when the filter cannot be found or read
   */
  public FilterDefinition read(String filter, String backend) {
    OptionSpec spec = OptionSpec.parse(filter);
    Path base = searchPath.locate(spec.name());
    FilterFile file = open(spec, base, new Origin(SearchPath.mainFile(base), 1));
    file.applyAutoOptions(backend);
    file.allOptions(Map.of());
    return file.definition(Map.of(), Map.of());
  }

  /**
   * A filter named in a jail.
   *
   * @param origin where the jail names it; arguments and errors point there
   */
  FilterFile open(OptionSpec spec, Origin origin) {
    Path base;
    try {
      base = searchPath.locate(spec.name());
    } catch (ConfigException e) {
      throw new ConfigException(origin, e.getMessage());
    }
    return open(spec, base, origin);
  }

  private FilterFile open(OptionSpec spec, Path base, Origin origin) {
    Map<String, Text> arguments = new LinkedHashMap<>();
    spec.options().forEach((key, value) -> arguments.put(key, Text.of(value, origin)));
    DefinitionFile definition =
        new DefinitionFile(spec.name(), SearchPath.mainFile(base), files.read(base), arguments);
    return new FilterFile(definition, origin);
  }
}
