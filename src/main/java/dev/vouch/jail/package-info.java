/**
 * Jails and the engine: ban jails (failure windows, bans, bantime.increment) and allow jails
 * (grant on success), driven by one engine thread that owns every decision.
 */
package dev.vouch.jail;
