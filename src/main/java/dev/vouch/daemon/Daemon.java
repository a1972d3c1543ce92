package dev.vouch.daemon;

import dev.vouch.action.ActionWorker;
import dev.vouch.config.ConfigException;
import dev.vouch.config.JailConfig;
import dev.vouch.config.VouchConf;
import dev.vouch.fail2ban.Fail2banSettings;
import dev.vouch.fail2ban.Reconciler;
import dev.vouch.filter.Filter;
import dev.vouch.jail.Engine;
import dev.vouch.jail.EngineStore;
import dev.vouch.jail.EngineView;
import dev.vouch.jail.JailActions;
import dev.vouch.net.IpAddress;
import dev.vouch.store.Database;
import dev.vouch.store.SqlEngineStore;
import dev.vouch.store.SqlFail2banOwned;
import dev.vouch.watch.LogPosition;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code vouch run}: builds everything from the configuration and owns it. Starts in order
 * (database, engine with the saved state, action workers, log readers) and stops in reverse
 * (readers, engine's last batch, actions with their stop guard, database), each step bounded.
 * Thread-safe for {@link #call} and {@link #close}.
 */
public final class Daemon implements StateAccess, AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.daemon");

  /** How the daemon reads its logs. */
  public enum Mode {
    /** Follow the logs as they grow, until stopped. */
    LIVE,
    /** Read the logs from their start, with their dates as the clock, then stop. */
    REPLAY
  }

  private final VouchConf conf;
  private final Mode mode;
  private final Database database;
  private final Engine engine;
  private final Map<String, ActionWorker> workers;
  private final LogReaders readers;
  private final List<JailConfig> jails;
  private final List<AutoCloseable> attachments = Collections.synchronizedList(new ArrayList<>());
  private final SqlEngineStore.ReplayReset reset;
  private volatile Reconciler reconciler;

  private Daemon(VouchConf conf, Mode mode, Database database, Engine engine,
      Map<String, ActionWorker> workers, LogReaders readers, List<JailConfig> jails,
      SqlEngineStore.ReplayReset reset) {
    this.conf = conf;
    this.mode = mode;
    this.database = database;
    this.engine = engine;
    this.workers = workers;
    this.readers = readers;
    this.jails = jails;
    this.reset = reset;
  }

  /**
   * Builds and starts the daemon.
   *
   * @throws ConfigException for a jail that cannot run (a filter that does not compile ...)
   * @throws dev.vouch.store.StoreException when the database cannot be opened
   */
  public static Daemon start(VouchConf conf, List<JailConfig> jails, Mode mode, Clock clock,
      ZoneId zone) {
    for (JailConfig jail : jails) {
      if (jail.filter().isEmpty()) {
        throw new ConfigException("[" + jail.name() + "] has no filter: set filter = NAME"
            + " (or a failregex) for it");
      }
    }
    // The database opens (half a second or more) while the filters compile. A command may hold
    // it for a moment (it opens it while no daemon answers): wait for that.
    CompletableFuture<Database> opening = CompletableFuture.supplyAsync(
        () -> Database.open(conf.dbfile(), Duration.ofSeconds(10)));
    Map<String, Filter> filters = new LinkedHashMap<>();
    try {
      // Each jail's filter compiles on a thread of its own while the database opens.
      Map<String, CompletableFuture<Filter>> compiling = new LinkedHashMap<>();
      for (JailConfig jail : jails) {
        compiling.put(jail.name(), CompletableFuture.supplyAsync(() -> Filters.compile(
            jail.filter().get(), jail.usedns(), Optional.empty(), jail.logtimezone(),
            java.time.Year.now(clock)), task -> {
              Thread thread = new Thread(task, "compile-" + jail.name());
              thread.setDaemon(true);
              thread.start();
            }));
      }
      for (Map.Entry<String, CompletableFuture<Filter>> filter : compiling.entrySet()) {
        filters.put(filter.getKey(), joined(filter.getValue()));
      }
    } catch (RuntimeException e) {
      try {
        joined(opening).close();
      } catch (RuntimeException ignored) {
        // The filter's error is the one to report; the database is not open then.
      }
      throw e;
    }
    // The store, with what an earlier replay derived from these logs cleared, once it is open.
    CompletableFuture<Opened> store = opening.thenApply(database -> {
      SqlEngineStore sql = new SqlEngineStore(database);
      try {
        return new Opened(database, sql, mode == Mode.REPLAY
            ? sql.resetForReplay(names(jails, JailConfig.Kind.ALLOW),
                names(jails, JailConfig.Kind.BAN))
            : new SqlEngineStore.ReplayReset(0, 0));
      } catch (RuntimeException e) {
        database.close();
        throw e;
      }
    });
    LogReaders readers = null;
    try {
      Opened live = mode == Mode.LIVE ? joined(store) : null;
      Engine engine = new Engine(live != null ? live.store()
          : new OpeningStore(store.thenApply(Opened::store)), clock, zone, mode == Mode.LIVE);
      Map<String, ActionWorker> workers = new LinkedHashMap<>();
      List<LogReaders.Watcher> watchers = new ArrayList<>();
      List<IpAddress> self = ConfigAllowances.selfAddresses();
      List<ConfigAllowances.HostName> hostNames = new ArrayList<>();
      Resolver resolver = new Resolver(Duration.ZERO);
      for (JailConfig jail : jails) {
        ActionWorker worker = JailWiring.worker(jail, zone);
        workers.put(jail.name(), worker);
        JailActions actions = JailWiring.actions(worker, jail.name(), jail.maxretry());
        if (jail.kind() == JailConfig.Kind.ALLOW) {
          engine.addAllowJail(JailWiring.allowSettings(jail), actions);
        } else {
          engine.addBanJail(JailWiring.banSettings(jail), actions);
          hostNames.addAll(ConfigAllowances.add(engine, jail, self, resolver));
        }
        watchers.add(new LogReaders.Watcher(jail.name(), filters.get(jail.name()), zone,
            jail.findtime().toDuration(),
            jail.logpaths().stream().map(path -> path.path()).toList(),
            !jail.logpaths().isEmpty() && jail.logpaths().stream().allMatch(path -> path.tail()),
            JournalQueries.of(jail)));
      }
      Optional<Reconciler> reconciler = mode == Mode.LIVE
          ? reconciler(conf, engine, live.database(), clock) : Optional.empty();
      reconciler.ifPresent(sync -> engine.addListener(sync::changed));
      if (mode == Mode.REPLAY) {
        // A replay reads from the start and needs nothing of the database to begin: its readers
        // match while the database opens, and the engine takes their matches once it is open.
        readers = new LogReaders(engine, watchers, Map.of(), true, clock, conf.maxLineLength());
        readers.start();
      }
      EngineStore.Snapshot snapshot = engine.start();
      Opened opened = joined(store);
      workers.values().forEach(ActionWorker::start);
      if (mode == Mode.LIVE) {
        Map<String, LogPosition> positions = new HashMap<>();
        snapshot.positions().forEach(position -> positions.put(position.path(), position));
        readers = new LogReaders(engine, watchers, positions, false, clock,
            conf.maxLineLength());
        readers.start();
      }
      LOG.log(Level.INFO, "vouch started: {0} jails, database {1}", jails.size(),
          opened.database().path());
      Daemon daemon = new Daemon(conf, mode, opened.database(), engine, workers, readers, jails,
          opened.reset());
      reconciler.ifPresent(sync -> {
        daemon.reconciler = sync;
        daemon.attach(sync);
        sync.start();
      });
      if (mode == Mode.LIVE) {
        HostNameRefresh refresh = new HostNameRefresh(engine, hostNames, resolver,
            conf.dnsRefresh());
        daemon.attach(refresh);
        refresh.start();
      }
      return daemon;
    } catch (RuntimeException e) {
      if (readers != null) {
        readers.close();
      }
      store.thenAccept(opened -> opened.database().close());
      throw e;
    }
  }

  /** The open database, its store for the engine, and what a replay cleared in it. */
  private record Opened(Database database, SqlEngineStore store,
      SqlEngineStore.ReplayReset reset) {}

  /** What {@code future} gives, or its error as it was thrown. */
  static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * The fail2ban reconciler, when [fail2ban] sync is on (or auto and fail2ban's socket is there).
   * It never runs in a replay.
   */
  private static Optional<Reconciler> reconciler(VouchConf conf, Engine engine, Database database,
      Clock clock) {
    VouchConf.Fail2banConf fail2ban = conf.fail2ban();
    boolean on = fail2ban.sync().orElseGet(() -> java.nio.file.Files.exists(fail2ban.socket()));
    if (!on) {
      return Optional.empty();
    }
    Fail2banSettings settings = Fail2banSettings.of(fail2ban.socket())
        .withReadTimeout(fail2ban.timeout()).withConnectTimeout(fail2ban.timeout());
    return Optional.of(new Reconciler(settings,
        () -> engine.call(EngineView::allowances).join(), new SqlFail2banOwned(database),
        fail2ban.unbanOnAllow(), fail2ban.syncInterval(), clock));
  }

  @Override
  public List<Reconciler.JailReport> syncFail2ban() {
    if (reconciler != null) {
      return reconciler.syncNow();
    }
    return oneOffReconciler(conf, engine, database).syncNow();
  }

  /** A reconciler for one sync by hand (sync off in vouch.conf, or no daemon). */
  static Reconciler oneOffReconciler(VouchConf conf, Engine engine, Database database) {
    Fail2banSettings settings = Fail2banSettings.of(conf.fail2ban().socket())
        .withReadTimeout(conf.fail2ban().timeout())
        .withConnectTimeout(conf.fail2ban().timeout());
    return new Reconciler(settings, () -> engine.call(EngineView::allowances).join(),
        new SqlFail2banOwned(database), conf.fail2ban().unbanOnAllow(),
        conf.fail2ban().syncInterval(), Clock.systemUTC());
  }

  /** The fail2ban reconciler, when this daemon runs one. */
  public Optional<Reconciler> reconciler() {
    return Optional.ofNullable(reconciler);
  }

  private static List<String> names(List<JailConfig> jails, JailConfig.Kind kind) {
    return jails.stream().filter(jail -> jail.kind() == kind).map(JailConfig::name).toList();
  }

  /** Runs {@code work} on the engine thread and waits until its changes are on disk. */
  @Override
  public <T> T call(Function<EngineView, T> work) {
    CompletableFuture<T> future = engine.call(work);
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public List<dev.vouch.audit.Event> history(IpAddress address, int limit) {
    return new dev.vouch.store.SqlAudit(database).about(address, limit);
  }

  @Override
  public List<dev.vouch.allowlist.Allowance> ended() {
    return new dev.vouch.store.SqlAudit(database).ended(call(EngineView::now));
  }

  @Override
  public int prune(java.time.Instant eventsBefore) {
    return new dev.vouch.store.SqlAudit(database).prune(call(EngineView::now), eventsBefore);
  }

  @Override
  public boolean live() {
    return mode == Mode.LIVE;
  }

  /** Waits until a replay has read every log and everything it decided is done. */
  public void awaitReplay() throws InterruptedException {
    readers.awaitEnd();
    call(view -> null);
    for (ActionWorker worker : workers.values()) {
      worker.drain(Duration.ofMinutes(5));
    }
  }

  /** Something to close with the daemon (the control socket, the fail2ban reconciler). */
  public void attach(AutoCloseable attachment) {
    attachments.add(attachment);
  }

  public Engine engine() {
    return engine;
  }

  public Database database() {
    return database;
  }

  public VouchConf conf() {
    return conf;
  }

  public List<JailConfig> jails() {
    return jails;
  }

  public Mode mode() {
    return mode;
  }

  public long linesRead() {
    return readers.lines();
  }

  /** Lines skipped for being over maxlinelength, and lines read that were not valid UTF-8. */
  public long[] linesSkippedAndUndecodable() {
    return readers.skippedAndUndecodable();
  }

  /** The log files and journals read. */
  public int filesRead() {
    return readers.fileCount();
  }

  /** The journal queries read (backend = systemd; one per distinct journalmatch). */
  public int journalsRead() {
    return readers.journalCount();
  }

  public SqlEngineStore.ReplayReset replayReset() {
    return reset;
  }

  @Override
  public void close() {
    List<AutoCloseable> attached = new ArrayList<>(attachments);
    Collections.reverse(attached);
    for (AutoCloseable attachment : attached) {
      try {
        attachment.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "stopping " + attachment + ": " + e.getMessage());
      }
    }
    readers.close();
    engine.close();
    List<Thread> stopping = new ArrayList<>();
    for (ActionWorker worker : workers.values()) {
      Thread thread = new Thread(() -> worker.stop(Duration.ofSeconds(20)), "stop-actions");
      thread.start();
      stopping.add(thread);
    }
    for (Thread thread : stopping) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    database.close();
    LOG.log(Level.INFO, "vouch stopped");
  }
}
