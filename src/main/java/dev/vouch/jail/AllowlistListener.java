package dev.vouch.jail;

/**
 * Hears that the allowlist changed (the fail2ban reconciler does). Called on the engine thread;
 * implementations must return at once.
 */
@FunctionalInterface
public interface AllowlistListener {
  void allowlistChanged();
}
