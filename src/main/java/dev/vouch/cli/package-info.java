/** The command line: picocli commands, output formatting and {@link dev.vouch.cli.Main}. */
package dev.vouch.cli;
