package dev.vouch.jail;

import java.time.Instant;

/**
 * The failures a jail has counted for a network and not yet acted on (for an allow jail: the
 * successes): fail2ban's ticket arithmetic in three numbers, the time of the first and the last,
 * and the attempts. Kept in the store, keyed like a ban, so that a restart goes on counting.
 */
public record FailureWindow(BanKey key, Instant first, Instant last, int attempts) {}
