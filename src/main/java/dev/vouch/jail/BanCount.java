package dev.vouch.jail;

import java.time.Duration;
import java.time.Instant;

/**
 * How often a network was banned by a jail and how the last ban went; kept after the ban ends,
 * for bantime.increment (fail2ban's {@code bips} table).
 */
public record BanCount(BanKey key, int count, Instant lastBan, Duration lastBantime) {}
