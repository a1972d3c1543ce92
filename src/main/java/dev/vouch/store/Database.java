package dev.vouch.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The embedded HSQLDB database in one file set ({@code PATH.script}, {@code PATH.log},
 * {@code PATH.data}, {@code PATH.lck}). Opening it takes HSQLDB's lock, so one process at a time
 * holds it; commits are synced to disk ({@code write_delay=false}) so a crash loses nothing that
 * was acknowledged. Thread-safe: Jdbi hands each call its own connection.
 */
public final class Database implements AutoCloseable {
  private final Path path;
  private final FileChannel lockChannel;
  private final Jdbi jdbi;
  private final Handle keeper;

  private Database(Path path, FileChannel lockChannel, Jdbi jdbi, Handle keeper) {
    this.path = path;
    this.lockChannel = lockChannel;
    this.jdbi = jdbi;
    this.keeper = keeper;
  }

  /**
   * Opens (creating it if needed) the database at {@code path}, migrating its schema forward.
   *
   * @throws DatabaseLockedException when another process holds it
   * @throws StoreException when it cannot be created, read or upgraded
   */
  public static Database open(Path path) {
    return open(path, java.time.Duration.ZERO);
  }

  /**
   * {@link #open(Path)}, waiting up to {@code patience} for another process to let the database
   * go: a command that opened it for a moment, or a daemon that is stopping.
   */
  public static Database open(Path path, java.time.Duration patience) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      Path parent = absolute.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the database directory " + absolute.getParent()
          + ": " + e.getMessage() + ". Create it, or set dbfile in vouch.conf (or --db).", e);
    }
    FileChannel lockChannel = lock(absolute, patience);
    String url = "jdbc:hsqldb:file:" + absolute
        + ";hsqldb.write_delay=false;hsqldb.lock_file=true;hsqldb.default_table_type=cached"
        + ";hsqldb.reconfig_logging=false;hsqldb.applog=0;hsqldb.sqllog=0"
        + ";hsqldb.cache_rows=200000;hsqldb.cache_size=100000";
    Jdbi jdbi = Jdbi.create(url, "SA", "");
    Handle keeper;
    try {
      // One open handle keeps the database open between calls (HSQLDB closes it with the last).
      keeper = jdbi.open();
    } catch (JdbiException e) {
      closeQuietly(lockChannel);
      throw translateOpenFailure(absolute, e);
    }
    Database database = new Database(absolute, lockChannel, jdbi, keeper);
    try {
      database.migrate();
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return database;
  }

  /**
   * Takes an OS lock on {@code PATH.lock} for as long as the database is open. HSQLDB's own lock
   * is a heartbeat file that a second opener watches for up to ten seconds; this one answers at
   * once, and the kernel releases it when its holder dies, even by kill -9.
   */
  private static FileChannel lock(Path path, java.time.Duration patience) {
    Path lockFile = path.resolveSibling(path.getFileName() + ".lock");
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreException("cannot open " + lockFile + ": " + e.getMessage()
          + ". Check the permissions of " + path.getParent() + ".", e);
    }
    FileLock lock;
    long deadline = System.nanoTime() + patience.toNanos();
    try {
      while ((lock = tryLock(channel)) == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lock = null;
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new DatabaseLockedException("the database " + path + " is in use by another process"
          + " (normally the vouch daemon). Stop it first, or use the commands while it runs.", null);
    }
    return channel;
  }

  /** The lock, or null while another holds it (a holder in this process counts too). */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException heldHere) {
      return null;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing releases the lock; there is nothing more to do if it fails.
    }
  }

  private static StoreException translateOpenFailure(Path path, JdbiException e) {
    String message = rootMessage(e);
    if (message.contains("lockFile") || message.contains("lock acquisition")) {
      return new DatabaseLockedException("the database " + path + " is in use by another process"
          + " (normally the vouch daemon). Stop it first, or use the commands while it runs.", e);
    }
    return new StoreException("cannot open the database " + path + ": " + message, e);
  }

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof SQLException || cause.getMessage() != null) {
      return String.valueOf(cause.getMessage());
    }
    return cause.toString();
  }

  private void migrate() {
    jdbi.useTransaction(handle -> {
      // Asked of the table itself: HSQLDB builds information_schema on first use, a tenth of
      // a second at every start.
      Optional<Integer> stored = storedVersion(handle);
      boolean exists = stored.isPresent();
      int version = stored.orElse(0);
      if (!exists) {
        handle.execute("CREATE CACHED TABLE vouch_schema (version INT NOT NULL)");
        handle.execute("INSERT INTO vouch_schema (version) VALUES (0)");
      }
      if (version > Schema.latest()) {
        throw new StoreException("the database " + path + " has schema version " + version
            + ", newer than this vouch knows (" + Schema.latest() + "): upgrade vouch.", null);
      }
      for (int next = version; next < Schema.latest(); next++) {
        for (String statement : Schema.MIGRATIONS.get(next)) {
          handle.execute(statement);
        }
        handle.execute("UPDATE vouch_schema SET version = ?", next + 1);
      }
    });
  }

  /** The version in vouch_schema, or empty when there is no such table (a new database). */
  private static Optional<Integer> storedVersion(Handle handle) {
    try {
      return Optional.of(handle.createQuery("SELECT version FROM vouch_schema")
          .mapTo(Integer.class).findOne().orElse(0));
    } catch (JdbiException e) {
      if (rootMessage(e).contains("object not found: VOUCH_SCHEMA")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The schema version of the open database. */
  public int schemaVersion() {
    return jdbi.withHandle(handle -> handle.createQuery("SELECT version FROM vouch_schema")
        .mapTo(Integer.class).one());
  }

  Jdbi jdbi() {
    return jdbi;
  }

  public Path path() {
    return path;
  }

  /** Statements run once, for tests and tools. */
  void execute(List<String> statements) {
    jdbi.useHandle(handle -> statements.forEach(handle::execute));
  }

  /** Closes the database cleanly (HSQLDB checkpoints, so the next open is fast). */
  @Override
  public void close() {
    try {
      keeper.execute("SHUTDOWN");
    } catch (JdbiException e) {
      // Already closed or the disk went away; the log replays at the next open.
    } finally {
      keeper.close();
      closeQuietly(lockChannel);
    }
  }
}
