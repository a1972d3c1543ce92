package dev.vouch.store;

import dev.vouch.VouchException;

/** The database could not be opened, read or written; the message says why and what to do. */
public class StoreException extends VouchException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
