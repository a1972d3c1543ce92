/**
 * Ban actions in fail2ban's action.d format: the lifecycle (start on demand, ban, unban,
 * check/repair, flush, stop), tag substitution with values from log lines passed to the shell as
 * arguments rather than inlined, a timeout per command, and a worker per jail with a stop guard;
 * plus the built-in {@code log} action.
 */
package dev.vouch.action;
