package dev.vouch.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One parsed INI file: its {@code [DEFAULT]} options and its other sections, in file order.
 *
 * @param sections by name; a conditional section such as {@code [Init?family=inet6]} is still a
 *     section of its own here, and is folded into {@code [Init]} when files are merged
 */
record IniFile(Path path, Map<String, IniOption> defaults, Map<String, Section> sections) {

  IniFile {
    defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
  }

  /** A section: its name as written (case matters), the line of its header, its options. */
  record Section(String name, Origin origin, Map<String, IniOption> options) {
    Section {
      options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
  }
}
