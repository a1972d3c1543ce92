package dev.vouch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One section of a config read with its overlay, after interpolation.
 *
 * @param name the section name, case as written
 * @param origin the header where the section first appears
 * @param options the options written in this section (not those it inherits from DEFAULT), in
 *     file order, each with the line of its key in the file that set it last
 */
public record ConfigSection(String name, Origin origin, Map<String, Value> options) {

  public ConfigSection {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(origin, "origin");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** An option of this section; keys are lower case, as fail2ban reads them. */
  public Optional<Value> option(String key) {
    return Optional.ofNullable(options.get(key));
  }
}
