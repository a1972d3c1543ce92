package dev.vouch.fail2ban;

import dev.vouch.net.IpAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A client of a running fail2ban over its Unix socket: status, ignore lists and bans, with a
 * connect and a read timeout on every call. Each method sends one request (large batches of ignore
 * entries go in a few) and returns vouch's own values.
 *
 * <p>Failures are typed: {@link Fail2banUnreachableException} (not running, stopping; its subclass
 * {@link Fail2banPermissionException} for a socket this user may not open),
 * {@link Fail2banTimeoutException}, {@link UnknownJailException}, {@link Fail2banCommandException}
 * (any other exception fail2ban raised) and {@link Fail2banProtocolException}.
 *
 * <p>Thread-safe: calls are serialised, as fail2ban runs one socket command at a time anyway. Close
 * it to release a reused connection.
 */
public final class Fail2banClient implements AutoCloseable {
  /**
   * Entries per request of a batch. fail2ban answers each {@code addignoreip} with the whole list,
   * so few large requests are cheapest; this only bounds one request's size (a few hundred KB).
   */
  static final int BATCH = 10_000;

  private final Fail2banChannel channel;

  public Fail2banClient(Fail2banSettings settings) {
    this.channel = new Fail2banChannel(settings);
  }

  /** A client with the default timeouts for the socket at {@code socket}. */
  public static Fail2banClient at(Path socket) {
    return new Fail2banClient(Fail2banSettings.of(socket));
  }

  public Path socket() {
    return channel.socket();
  }

  /**
   * Checks that fail2ban answers.
   *
   * @throws Fail2banUnreachableException when it does not run
   */
  public void ping() {
    Object reply = call("ping");
    if (!"pong".equals(reply)) {
      throw unexpected("ping", "'pong'", reply);
    }
  }

  /** fail2ban's version, e.g. {@code 1.0.2}. */
  public String version() {
    return string(call("version"), "version");
  }

  /** The names of fail2ban's jails, sorted as fail2ban sorts them. */
  public List<String> jails() {
    Fail2banStatus status = status();
    StatusEntry.Value list = status.value("Jail list")
        .orElseThrow(() -> unexpected("status", "a 'Jail list' entry", status.format()));
    if (!(list instanceof StatusEntry.Text text)) {
      throw unexpected("status", "the jail list as one text", list);
    }
    // fail2ban joins the sorted names with ", " (server.py status()).
    return text.text().isEmpty() ? List.of() : List.of(text.text().split(", "));
  }

  /** The server's status, as {@code fail2ban-client status} shows it. */
  public Fail2banStatus status() {
    return Fail2banStatus.of("Status", call("status"));
  }

  /** A jail's status (filter and actions), as {@code fail2ban-client status JAIL} shows it. */
  public Fail2banStatus status(String jail) {
    return Fail2banStatus.of("Status for the jail: " + jail, call("status", jail));
  }

  /**
   * The jail's ignore list: networks and names first in the order they were added, then single
   * addresses (fail2ban keeps those in a set, in no particular order).
   */
  public List<IpEntry> ignoreIp(String jail) {
    return entries(call("get", jail, "ignoreip"), "get " + jail + " ignoreip");
  }

  /**
   * Adds entries to the jail's ignore list and returns the list after the change. Entries already
   * there are skipped by fail2ban. All entries go in one request (or one per {@value #BATCH}),
   * which fail2ban applies in order.
   *
   * @throws UnknownJailException when there is no such jail
   */
  public List<IpEntry> addIgnoreIp(String jail, Collection<? extends IpEntry> entries) {
    List<IpEntry> batch = List.copyOf(entries);
    if (batch.isEmpty()) {
      return ignoreIp(jail);
    }
    for (IpEntry entry : batch) {
      checkSendable(entry);
    }
    Object reply = null;
    for (int from = 0; from < batch.size(); from += BATCH) {
      List<IpEntry> part = batch.subList(from, Math.min(batch.size(), from + BATCH));
      List<Object> command = new ArrayList<>(part.size() + 3);
      command.addAll(List.of("set", jail, "addignoreip"));
      part.forEach(entry -> command.add(entry.text()));
      reply = channel.call(command);
    }
    return entries(reply, "set " + jail + " addignoreip");
  }

  /** Adds entries to the jail's ignore list; see {@link #addIgnoreIp(String, Collection)}. */
  public List<IpEntry> addIgnoreIp(String jail, IpEntry... entries) {
    return addIgnoreIp(jail, Arrays.asList(entries));
  }

  /**
   * Removes one entry from the jail's ignore list and returns the list after the change. Removing
   * an entry that is not there is no error: fail2ban raises {@code ValueError} for it, and this
   * method answers with the current list instead.
   *
   * @throws UnknownJailException when there is no such jail
   */
  public List<IpEntry> delIgnoreIp(String jail, IpEntry entry) {
    checkSendable(entry);
    try {
      return entries(call("set", jail, "delignoreip", entry.text()),
          "set " + jail + " delignoreip");
    } catch (Fail2banCommandException e) {
      if (!isNotInList(e)) {
        throw e;
      }
      return ignoreIp(jail);
    }
  }

  /**
   * Removes many entries from the jail's ignore list and returns the list after the change;
   * entries that are not there are skipped.
   *
   * <p>fail2ban's {@code delignoreip} takes one entry and answers with the whole list, which costs
   * fail2ban milliseconds per call on a list of 10,000. So the removals go as one
   * {@code server-stream} request (the command {@code fail2ban-client start} configures a server
   * with), in which fail2ban runs each {@code delignoreip} quietly, then one {@code get ignoreip}.
   * fail2ban stops a stream at the first entry that is not there; the entries still present are
   * then sent again.
   *
   * @throws UnknownJailException when there is no such jail
   */
  public List<IpEntry> delIgnoreIp(String jail, Collection<? extends IpEntry> entries) {
    List<IpEntry> pending = List.copyOf(new LinkedHashSet<>(entries));
    pending.forEach(Fail2banClient::checkSendable);
    if (pending.isEmpty()) {
      return ignoreIp(jail);
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        for (int from = 0; from < pending.size(); from += BATCH) {
          List<Object> stream = new ArrayList<>();
          for (IpEntry entry : pending.subList(from, Math.min(pending.size(), from + BATCH))) {
            stream.add(List.of("set", jail, "delignoreip", entry.text()));
          }
          channel.call(List.of("server-stream", stream));
        }
        return ignoreIp(jail);
      } catch (Fail2banCommandException e) {
        if (!isNotInList(e)) {
          throw e;
        }
        // Absent already (removed by someone else, or never there): send what is still there.
        List<IpEntry> current = ignoreIp(jail);
        Set<String> present = new HashSet<>(texts(current));
        pending = pending.stream().filter(entry -> present.contains(entry.text())).toList();
        if (pending.isEmpty()) {
          return current;
        }
      }
    }
    // The list keeps changing under us: finish one by one, which tolerates absent entries.
    List<IpEntry> current = ignoreIp(jail);
    for (IpEntry entry : pending) {
      current = delIgnoreIp(jail, entry);
    }
    return current;
  }

  /** The jail's current bans, in the order fail2ban banned them. */
  public List<IpEntry> banned(String jail) {
    return entries(call("get", jail, "banned"), "get " + jail + " banned");
  }

  /** True when fail2ban holds a ban on {@code address} in the jail. */
  public boolean isBanned(String jail, IpAddress address) {
    Object reply = call("get", jail, "banned", IpEntry.of(address).text());
    if (!(reply instanceof Long flag)) {
      throw unexpected("get " + jail + " banned " + address, "1 or 0", reply);
    }
    return flag != 0;
  }

  /**
   * Bans addresses in the jail (fail2ban runs the jail's ban actions before it answers, so allow a
   * read timeout of twice the action timeout) and returns how many were newly banned. fail2ban does
   * not check the ignore list here.
   */
  public int banIp(String jail, Collection<IpAddress> addresses) {
    List<Object> command = new ArrayList<>(List.of("set", jail, "banip"));
    addresses.forEach(address -> command.add(IpEntry.of(address).text()));
    return count(channel.call(command), "set " + jail + " banip");
  }

  /** Bans addresses; see {@link #banIp(String, Collection)}. */
  public int banIp(String jail, IpAddress... addresses) {
    return banIp(jail, Arrays.asList(addresses));
  }

  /**
   * Lifts the jail's bans on these entries (a network lifts every ban inside it) and returns how
   * many bans were lifted; an entry that is not banned counts 0. fail2ban runs the unban actions
   * before it answers.
   */
  public int unban(String jail, Collection<? extends IpEntry> entries) {
    if (entries.isEmpty()) {
      return 0;
    }
    List<Object> command = new ArrayList<>(List.of("set", jail, "unbanip"));
    for (IpEntry entry : entries) {
      checkSendable(entry);
      command.add(entry.text());
    }
    return count(channel.call(command), "set " + jail + " unbanip");
  }

  /** Lifts bans; see {@link #unban(String, Collection)}. */
  public int unban(String jail, IpEntry... entries) {
    return unban(jail, Arrays.asList(entries));
  }

  /** Releases a reused connection (politely, with fail2ban's CLOSE frame). */
  @Override
  public void close() {
    channel.close();
  }

  /** Runs a raw command and returns its normalised value (for tests and the fixture). */
  Object call(Object... command) {
    return channel.call(Arrays.asList(command));
  }

  Fail2banChannel channel() {
    return channel;
  }

  /**
   * Names from a client or a log must not reach fail2ban in a form it would reject halfway through
   * a batch (an {@code addignoreip} of 100 entries stops at the first bad one).
   */
  private static void checkSendable(IpEntry entry) {
    if (entry instanceof IpEntry.Name name) {
      String text = name.name();
      if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
          || text.contains("/")) {
        throw new Fail2banRequestException("cannot send '" + text + "' to fail2ban as an ignore"
            + " entry: expected an address, ADDRESS/PREFIX or a DNS host name");
      }
    }
  }

  /** filter.py delIgnoreIP: {@code list.remove} raises ValueError for an absent entry. */
  private static boolean isNotInList(Fail2banCommandException e) {
    return !(e instanceof UnknownJailException) && e.pythonType().equals("builtins.ValueError")
        && e.pythonMessage().contains("not in list");
  }

  private static List<String> texts(List<IpEntry> entries) {
    return entries.stream().map(IpEntry::text).toList();
  }

  private static List<IpEntry> entries(Object reply, String command) {
    if (!(reply instanceof List<?> list)) {
      throw unexpected(command, "a list of addresses", reply);
    }
    List<IpEntry> entries = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof String text) || text.isEmpty()) {
        throw unexpected(command, "a list of addresses", reply);
      }
      IpEntry entry = IpEntry.parse(text);
      // Keep fail2ban's own text when vouch would spell it differently, so that it can be removed.
      entries.add(entry.text().equals(text) ? entry : new IpEntry.Name(text));
    }
    return List.copyOf(entries);
  }

  private static String string(Object reply, String command) {
    if (!(reply instanceof String text)) {
      throw unexpected(command, "a str", reply);
    }
    return text;
  }

  private static int count(Object reply, String command) {
    if (!(reply instanceof Long number) || number < 0 || number > Integer.MAX_VALUE) {
      throw unexpected(command, "a count", reply);
    }
    return number.intValue();
  }

  private static Fail2banProtocolException unexpected(String command, String expected, Object got) {
    String shown = got instanceof String text ? text : PythonText.repr(got);
    if (shown.length() > 200) {
      shown = shown.substring(0, 200) + "...";
    }
    return new Fail2banProtocolException("fail2ban answered '" + command + "' with " + shown
        + " where its protocol has " + expected + ". Is this fail2ban 1.0?");
  }
}
