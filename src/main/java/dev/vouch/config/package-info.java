/**
 * Configuration in fail2ban 1.0.2's format: INI files with the .conf/.d/.local overlay, includes,
 * {@code %(x)s} interpolation and {@code <tag>} substitution, read into jail, filter and action
 * definitions with the file:line each value came from.
 */
package dev.vouch.config;
