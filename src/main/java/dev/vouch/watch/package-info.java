/**
 * Log sources: files followed like {@code tail -F} (rotation, globs, saved positions), the
 * systemd journal through {@code journalctl}, and standard input; all give decoded lines.
 */
package dev.vouch.watch;
