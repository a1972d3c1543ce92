package dev.vouch.filter;

import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a filter found in a line: which failregex matched, the failure id and address, the time,
 * the captured fields ({@code user} and every {@code <F-NAME>}), and the matched log lines.
 * Immutable.
 */
public final class FilterMatch {
  private final int regex;
  private final String id;
  private final Optional<Cidr> network;
  private final double time;
  private final Map<String, Object> data;

  /** Takes {@code data} over: nothing may change it afterwards (others may hold it). */
  FilterMatch(int regex, String id, Optional<Cidr> network, double time, Map<String, Object> data) {
    this.regex = regex;
    this.id = id;
    this.network = network;
    this.time = time;
    this.data = Collections.unmodifiableMap(data);
  }

  /** Index of the failregex that matched. */
  public int regex() {
    return regex;
  }

  /**
   * The failure id: the address as text (canonical unless the filter keeps raw hosts), or the
   * {@code <F-ID>} value; null for a multi-line match still waiting for its address.
   */
  public String id() {
    return id;
  }

  /** The address (or network, with {@code <CIDR>}) when the id is one. */
  public Optional<Cidr> network() {
    return network;
  }

  /** The single address, when the id is one address. */
  public Optional<IpAddress> address() {
    return network.filter(Cidr::isHost).map(Cidr::address);
  }

  /** Epoch seconds of the line's date; NaN when it had none that could be read. */
  public double time() {
    return time;
  }

  /** A captured field by name ({@code user}, {@code ip4}, any {@code <F-NAME>}), if set. */
  public Optional<String> field(String name) {
    Object value = data.get(name);
    return value == null ? Optional.empty() : Optional.of(value.toString());
  }

  /** The captured fields with a value, as text, excluding fail2ban's bookkeeping entries. */
  public Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    data.forEach((key, value) -> {
      if (value != null && !BOOKKEEPING.contains(key)) {
        fields.put(key, value.toString());
      }
    });
    return fields;
  }

  /** The user names seen for this connection (multi-line filters). */
  public Set<String> users() {
    Object users = data.get("users");
    @SuppressWarnings("unchecked")
    Set<String> set = users instanceof Set<?> ? new TreeSet<>((Set<String>) users) : Set.of();
    return set;
  }

  /** The log lines that make up this match. */
  @SuppressWarnings("unchecked")
  public List<String> lines() {
    Object matches = data.get("matches");
    return matches instanceof List<?> list
        ? ((List<LineTuple>) list).stream().map(LineTuple::line).toList() : List.of();
  }

  /** True when the match only supplies an address or marks a success ({@code <F-NOFAIL>}). */
  public boolean noFailure() {
    return FilterRegex.isSet(data.get("nofail"));
  }

  /** True when a multi-line match is still waiting for its address. */
  public boolean pending() {
    return id == null;
  }

  /** The raw failure data, for conformance checks. */
  Map<String, Object> data() {
    return data;
  }

  private static final Set<String> BOOKKEEPING =
      Set.of("matches", "nofail-matches", "users", "mlfpending", "nofail", "mlfgained",
          "mlfforget", "mlfid");

  @Override
  public String toString() {
    return "FilterMatch[regex=" + regex + ", id=" + id + ", time=" + time + ", fields="
        + fields() + "]";
  }
}
