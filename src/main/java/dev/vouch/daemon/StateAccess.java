package dev.vouch.daemon;

import dev.vouch.allowlist.Allowance;
import dev.vouch.audit.Event;
import dev.vouch.fail2ban.Reconciler;
import dev.vouch.jail.EngineView;
import dev.vouch.net.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What the commands that read or change state work on: the running daemon's engine, or, when no
 * daemon answers, an engine opened on the database for the length of one command. The same
 * command code runs on either, so the answer is the same.
 */
public interface StateAccess {
  /** Runs {@code work} on the engine and returns once its changes are durable. */
  <T> T call(Function<EngineView, T> work);

  /** The audit trail of {@code address} (and networks containing it), newest first. */
  List<Event> history(IpAddress address, int limit);

  /** Allowances that have ended and are still on record. */
  List<Allowance> ended();

  /** Deletes ended allowances and events older than {@code eventsBefore}. */
  int prune(Instant eventsBefore);

  /** True when the daemon runs: bans and unbans take effect on the firewall at once. */
  boolean live();

  /**
   * Pushes the allowlist into fail2ban now (the daemon's reconciler, or a one-off one).
   *
   * @throws dev.vouch.fail2ban.Fail2banException when fail2ban cannot be reached
   */
  List<Reconciler.JailReport> syncFail2ban();
}
