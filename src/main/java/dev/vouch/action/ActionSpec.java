package dev.vouch.action;

import java.util.Map;

/**
 * An action as configured: its name, its {@code actname} (the same file may run twice under two
 * names), and its properties after config reading: the commands ({@code actionban} ...), options
 * ({@code timeout}, {@code actionstart_on_demand}, {@code norestored}, ...) and every other value
 * tags may refer to. Family-specific values are keys of the form {@code name?family=inet6}, as
 * fail2ban keeps them.
 */
public record ActionSpec(String name, String actname, Map<String, String> properties) {
  public ActionSpec {
    properties = Map.copyOf(properties);
  }

  /** True when some property has a family-specific variant ({@code [Init?family=inet6]}). */
  public boolean hasFamilyVariants() {
    return properties.keySet().stream().anyMatch(key -> key.contains("?family="));
  }
}
