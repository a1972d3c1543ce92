package dev.vouch.daemon;

import dev.vouch.config.FilterDefinition;
import dev.vouch.config.Value;
import dev.vouch.filter.Filter;
import dev.vouch.filter.FilterSpec;
import dev.vouch.filter.RegexSource;
import dev.vouch.filter.UseDns;
import java.time.Year;
import java.util.List;
import java.util.Optional;

/** Turns a filter as configured into a compiled {@link Filter}. */
public final class Filters {
  private Filters() {}

  /**
   * Compiles {@code definition}; {@code usedns} is the jail's (the filter's own wins when set),
   * {@code datepattern} replaces the filter's when present.
   *
   * @throws dev.vouch.filter.FilterException naming the file:line of a bad regex
   */
  public static Filter compile(FilterDefinition definition, String usedns,
      Optional<String> datepattern, Optional<String> logtimezone, Year year) {
    return Filter.compile(spec(definition, usedns, datepattern, logtimezone), year);
  }

  public static FilterSpec spec(FilterDefinition definition, String usedns,
      Optional<String> datepattern, Optional<String> logtimezone) {
    Optional<String> pattern = datepattern.isPresent() ? datepattern
        : definition.datepattern().isEmpty() ? Optional.empty()
            : Optional.of(String.join("\n", definition.datepattern()));
    return new FilterSpec(definition.name(), definition.prefregex().map(Filters::source),
        sources(definition.failregex()), sources(definition.ignoreregex()),
        definition.maxlines(), pattern.filter(text -> !text.isBlank()),
        UseDns.parse(definition.usedns().orElse(usedns)), logtimezone);
  }

  private static List<RegexSource> sources(List<Value> values) {
    return values.stream().map(Filters::source).toList();
  }

  private static RegexSource source(Value value) {
    return new RegexSource(value.text(), value.origin().toString());
  }
}
