package dev.vouch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A jail section of {@code jail.conf} and its overlays, read as fail2ban 1.0.2 reads it.
 *
 * <p>A disabled jail is read only as far as fail2ban reads one: its options, but no filter,
 * actions or log paths, so that a broken jail that is switched off never stops the others.
 *
 * @param name the section name
 * @param enabled fail2ban's {@code enabled} (false unless set to a true value)
 * @param options every option of the section and of DEFAULT, interpolated, each with the line
 *     where its key was written: fail2ban's keys and any other ({@code port}, vouch's
 *     {@code allowfor}). A DEFAULT option that cannot be interpolated for this jail (jail.conf's
 *     {@code action_mwl} without a {@code logpath}) is left out, as fail2ban never reads it
 * @param filter empty when the jail is disabled or sets no filter
 * @param actions in the order written
 * @param logpaths empty when the jail is disabled or its backend is {@code systemd}
 */
public record JailDefinition(
    String name,
    boolean enabled,
    Map<String, Value> options,
    Optional<FilterDefinition> filter,
    List<ActionDefinition> actions,
    List<LogPath> logpaths) {

  public JailDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(filter, "filter");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    actions = List.copyOf(actions);
    logpaths = List.copyOf(logpaths);
  }

  /** An option of this jail; keys are lower case, as fail2ban reads them. */
  public Optional<Value> option(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /** fail2ban's {@code backend}: {@code auto} unless set. */
  public String backend() {
    return option("backend").map(Value::text).orElse("auto");
  }
}
