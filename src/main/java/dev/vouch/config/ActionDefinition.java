package dev.vouch.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An action of a jail, as fail2ban's client hands it to the server ({@code multi-set JAIL action
 * ACTNAME ...}).
 *
 * <p>The commands ({@code actionstart}, {@code actionban}, ...) have their static tags
 * substituted; tags filled per ban ({@code <ip>}, {@code <F-USER>}, {@code <matches>},
 * {@code <bantime>}) stay, and so do tags of options that have a per-family variant
 * ({@code <addr_set>} when {@code addr_set?family=inet6} exists), which the action resolves when it
 * knows the address family. The other properties ({@code [Init]} options, the jail's
 * {@code name[key=value]}, {@code name}, {@code actname}, {@code timeout}) are as written: fail2ban
 * substitutes their tags only when it builds a command.
 *
 * <p>{@code actionstart_on_demand}, {@code actionrepair_on_unban} and {@code norestored} are
 * {@code true} or {@code false}, as fail2ban's client converts them.
 *
 * @param name the action's name as the jail wrote it ({@code iptables-multiport})
 * @param actname the name of this instance in its jail: {@code actname=} if given, else the file
 *     name (with the {@code name=} argument appended when it differs from the jail's name)
 * @param file the action's main file
 * @param properties in fail2ban's order: commands, then the other options
 * @param conditional per condition ({@code family=inet6}), the options that replace properties
 *     under it
 */
public record ActionDefinition(
    String name,
    String actname,
    Path file,
    Map<String, String> properties,
    Map<String, Map<String, String>> conditional) {

  public ActionDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(actname, "actname");
    Objects.requireNonNull(file, "file");
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    conditional.forEach((condition, overrides) ->
        copy.put(condition, Collections.unmodifiableMap(new LinkedHashMap<>(overrides))));
    conditional = Collections.unmodifiableMap(copy);
  }
}
