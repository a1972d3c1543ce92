/**
 * The composition root of {@code vouch run}: builds the engine, filters, log watchers, actions,
 * the control socket and the fail2ban reconciler from the configuration, owns their threads,
 * and starts and stops them in order.
 */
package dev.vouch.daemon;
