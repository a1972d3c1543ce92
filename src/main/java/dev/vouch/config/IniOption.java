package dev.vouch.config;

/** An option as written in a file: lower-cased name, raw value, and the line of its key. */
record IniOption(String name, Text value, Origin origin) {}
