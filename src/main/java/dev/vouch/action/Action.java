package dev.vouch.action;

/**
 * One action of a jail. Called only from the jail's action worker, one call at a time.
 */
interface Action {
  String name();

  /** At jail start (an on-demand action starts at its first ban instead). */
  void start();

  /** Returns false when the ban failed even after a check/repair and a retry. */
  boolean ban(ActionTicket ticket);

  boolean unban(ActionTicket ticket);

  /** Lifts every ban at once; false when that failed and bans must be lifted one by one. */
  boolean flush();

  void stop();
}
