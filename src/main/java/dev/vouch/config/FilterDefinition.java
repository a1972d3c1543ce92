package dev.vouch.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A filter as a jail uses it, with every tag that the configuration defines substituted:
 * {@code <HOST>}, {@code <F-USER>} and the like stay for the regex engine.
 *
 * <p>The jail's own {@code prefregex}, {@code failregex}, {@code ignoreregex}, {@code maxlines},
 * {@code datepattern}, {@code journalmatch} and {@code usedns} replace the filter's; a jail that
 * wants to extend the filter's list writes {@code %(known/failregex)s} into its own.
 *
 * @param name the filter's name as the jail wrote it ({@code sshd}), or its path
 * @param file the filter's main file ({@code NAME.conf}, or {@code NAME.local} without one)
 * @param prefregex the common prefix every line must match first, when there is one
 * @param failregex one value per regex line, each with the file:line where it was written
 * @param ignoreregex likewise
 * @param maxlines how many lines a multi-line failregex sees (1 unless set)
 * @param datepattern the date patterns to try, one per line; empty for fail2ban's defaults
 * @param journalmatch journalctl matches, one expression per line
 *     ({@code _SYSTEMD_UNIT=x + _COMM=y})
 * @param usedns {@code yes}, {@code warn}, {@code no} or {@code raw}, when set
 * @param options all of the filter's options after substitution, [Definition] overridden by
 *     [Init] overridden by the jail's {@code name[key=value]}: what the jail reads as
 *     {@code known/...}
 */
public record FilterDefinition(
    String name,
    Path file,
    Optional<Value> prefregex,
    List<Value> failregex,
    List<Value> ignoreregex,
    int maxlines,
    List<String> datepattern,
    List<String> journalmatch,
    Optional<String> usedns,
    Map<String, String> options) {

  public FilterDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(prefregex, "prefregex");
    Objects.requireNonNull(usedns, "usedns");
    failregex = List.copyOf(failregex);
    ignoreregex = List.copyOf(ignoreregex);
    datepattern = List.copyOf(datepattern);
    journalmatch = List.copyOf(journalmatch);
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    if (maxlines < 1) {
      throw new IllegalArgumentException("maxlines must be 1 or more: " + maxlines);
    }
  }
}
