/**
 * The database: one embedded HSQLDB file, through Jdbi, with a versioned schema. Holds the
 * allowlist, bans and ban counts, the audit trail, log read positions and what vouch added to
 * fail2ban. Every commit is synced to disk before it returns.
 */
package dev.vouch.store;
