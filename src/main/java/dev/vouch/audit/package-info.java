/**
 * The audit trail: every decision (grant, renew, revoke, expiry, failure, spared failure, ban,
 * unban, fail2ban push) as an event with its evidence, so that {@code vouch explain} can say why.
 */
package dev.vouch.audit;
