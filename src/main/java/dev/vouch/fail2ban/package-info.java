/**
 * fail2ban's socket protocol: a pickle writer for requests, an unpickler for replies, a client with
 * timeouts on every call, and typed operations on jails, ignore lists and bans.
 */
package dev.vouch.fail2ban;
