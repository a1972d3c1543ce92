package dev.vouch.store;

/** Another process (normally the vouch daemon) holds the database. */
public final class DatabaseLockedException extends StoreException {
  public DatabaseLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
