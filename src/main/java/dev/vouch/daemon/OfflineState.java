package dev.vouch.daemon;

import dev.vouch.allowlist.Allowance;
import dev.vouch.audit.Event;
import dev.vouch.config.JailConfig;
import dev.vouch.config.VouchConf;
import dev.vouch.jail.Engine;
import dev.vouch.jail.EngineView;
import dev.vouch.jail.JailActions;
import dev.vouch.net.IpAddress;
import dev.vouch.store.Database;
import dev.vouch.store.SqlAudit;
import dev.vouch.store.SqlEngineStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The state when no daemon runs: the database opened for one command, with an engine that knows
 * the configured jails but reads no log and runs no action (a ban recorded here is applied when
 * the daemon starts). Close it to write and release the database.
 */
public final class OfflineState implements StateAccess, AutoCloseable {
  private final VouchConf conf;
  private final Database database;
  private final Engine engine;
  private final Clock clock;

  private OfflineState(VouchConf conf, Database database, Engine engine, Clock clock) {
    this.conf = conf;
    this.database = database;
    this.engine = engine;
    this.clock = clock;
  }

  /**
   * Opens the database of {@code conf} for the jails of the configuration.
   *
   * @throws dev.vouch.store.DatabaseLockedException when a daemon holds it
   */
  public static OfflineState open(VouchConf conf, List<JailConfig> jails, Clock clock) {
    // Another command may hold it for a moment, or a daemon be starting or stopping.
    Database database = Database.open(conf.dbfile(), java.time.Duration.ofSeconds(3));
    try {
      Engine engine = new Engine(new SqlEngineStore(database), clock, clock.getZone(), true);
      // The configuration's allowances as the daemon has them: ignoreip names resolved, and
      // this machine's addresses for ignoreself.
      List<IpAddress> self = null;
      Resolver resolver = new Resolver(Duration.ZERO);
      for (JailConfig jail : jails) {
        if (jail.kind() == JailConfig.Kind.ALLOW) {
          engine.addAllowJail(JailWiring.allowSettings(jail), JailActions.NONE);
        } else {
          engine.addBanJail(JailWiring.banSettings(jail), JailActions.NONE);
          if (self == null && jail.ignoreself()) {
            self = ConfigAllowances.selfAddresses();
          }
          ConfigAllowances.add(engine, jail, self == null ? List.of() : self, resolver);
        }
      }
      engine.start();
      return new OfflineState(conf, database, engine, clock);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  @Override
  public <T> T call(Function<EngineView, T> work) {
    try {
      return engine.call(work).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public List<Event> history(IpAddress address, int limit) {
    return new SqlAudit(database).about(address, limit);
  }

  @Override
  public List<Allowance> ended() {
    return new SqlAudit(database).ended(clock.instant());
  }

  @Override
  public int prune(Instant eventsBefore) {
    return new SqlAudit(database).prune(clock.instant(), eventsBefore);
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public List<dev.vouch.fail2ban.Reconciler.JailReport> syncFail2ban() {
    return Daemon.oneOffReconciler(conf, engine, database).syncNow();
  }

  @Override
  public void close() {
    engine.close();
    database.close();
  }
}
