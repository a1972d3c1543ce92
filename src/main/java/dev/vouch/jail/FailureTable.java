package dev.vouch.jail;

import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import java.util.function.Consumer;

/**
 * The failures counted per address in one jail, with fail2ban's arithmetic ({@code FailManager},
 * {@code Ticket.adjustTime}): a count, the time of the first and of the last failure, and the
 * rate-based rescaling when failures span more than findtime.
 *
 * <p>Open addressing over primitive arrays: about 26 bytes per address plus free slots, so that
 * a million distinct failing addresses fit in tens of megabytes. Times are kept in tenths of a
 * second from a base. Confined to the engine thread.
 */
final class FailureTable {
  private static final double LOAD = 0.6;

  private long[] high;
  private long[] low;
  /** 0 for a free slot; else family and prefix: prefix + 1 (IPv4) or prefix + 129 (IPv6). */
  private short[] tag;
  private int[] first;
  private int[] last;
  private int[] retry;
  private int size;
  private final long baseMillis;

  /**
   * A table whose times count from about {@code baseMillis}. The base is rounded down to a whole
   * second, so that the whole-second times of log lines are kept exactly and the arithmetic does
   * not depend on the millisecond a run started.
   */
  FailureTable(long baseMillis) {
    this.baseMillis = Math.floorDiv(baseMillis, 1000) * 1000;
    allocate(1024);
  }

  private void allocate(int capacity) {
    high = new long[capacity];
    low = new long[capacity];
    tag = new short[capacity];
    first = new int[capacity];
    last = new int[capacity];
    retry = new int[capacity];
  }

  int size() {
    return size;
  }

  private static short tagOf(Cidr network) {
    return (short) (network.prefix() + (network.family() == IpAddress.Family.IPV4 ? 1 : 129));
  }

  private int ticks(double epochSeconds) {
    long ticks = Math.round((epochSeconds * 1000 - baseMillis) / 100.0);
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, ticks));
  }

  private double seconds(int ticks) {
    return (baseMillis + ticks * 100L) / 1000.0;
  }

  private int slot(long h, long l, short t) {
    long mix = (h * 0x9E3779B97F4A7C15L) ^ (l * 0xC2B2AE3D27D4EB4FL) ^ t;
    mix ^= mix >>> 31;
    return (int) (mix & (tag.length - 1));
  }

  private int find(long h, long l, short t) {
    int mask = tag.length - 1;
    for (int i = slot(h, l, t); ; i = (i + 1) & mask) {
      if (tag[i] == 0) {
        return -1 - i;
      }
      if (tag[i] == t && high[i] == h && low[i] == l) {
        return i;
      }
    }
  }

  /**
   * Counts {@code count} failures of {@code network} at {@code time} (epoch seconds) and returns
   * the attempts now on record, rescaled as fail2ban does when they span more than findtime.
   */
  int add(Cidr network, double time, double findtime, int count) {
    long h = network.address().high();
    long l = network.address().low();
    short t = tagOf(network);
    int index = find(h, l, t);
    int now = ticks(time);
    if (index < 0) {
      insert(h, l, t, now, now, count);
      return count;
    }
    if (now > last[index]) {
      double firstSeconds = seconds(first[index]);
      if (firstSeconds < time - findtime) {
        // fail2ban's estimate from the rate over the known interval (Ticket.adjustTime), with
        // Python's round(): halves go to the even neighbour.
        retry[index] = (int) Math.rint(retry[index] / (time - firstSeconds) * findtime);
        first[index] = ticks(time - findtime);
      }
      last[index] = now;
    }
    retry[index] += count;
    return retry[index];
  }

  /** The window on record for {@code network}: first, last (epoch seconds), attempts; or null. */
  double[] window(Cidr network) {
    int index = find(network.address().high(), network.address().low(), tagOf(network));
    return index < 0 ? null
        : new double[] {seconds(first[index]), seconds(last[index]), retry[index]};
  }

  /** Puts back a window from the store (replacing what is on record for {@code network}). */
  void restore(Cidr network, double firstTime, double lastTime, int attempts) {
    remove(network);
    insert(network.address().high(), network.address().low(), tagOf(network), ticks(firstTime),
        ticks(lastTime), attempts);
  }

  private void insert(long h, long l, short t, int firstTicks, int lastTicks, int attempts) {
    if (size + 1 > tag.length * LOAD) {
      grow();
    }
    int index = -1 - find(h, l, t);
    high[index] = h;
    low[index] = l;
    tag[index] = t;
    first[index] = firstTicks;
    last[index] = lastTicks;
    retry[index] = attempts;
    size++;
  }

  /** Attempts on record for {@code network}, 0 when none. */
  int attempts(Cidr network) {
    int index = find(network.address().high(), network.address().low(), tagOf(network));
    return index < 0 ? 0 : retry[index];
  }

  /** Forgets {@code network} (it was banned, or allowed); true when it had a window. */
  boolean remove(Cidr network) {
    int index = find(network.address().high(), network.address().low(), tagOf(network));
    if (index >= 0) {
      delete(index);
      return true;
    }
    return false;
  }

  /**
   * Drops every address whose last failure is older than findtime at {@code time}, telling
   * {@code dropped} of each.
   */
  int cleanup(double time, double findtime, Consumer<Cidr> dropped) {
    int removed = 0;
    int threshold = ticks(time - findtime);
    for (int i = 0; i < tag.length; ) {
      if (tag[i] != 0 && last[i] <= threshold) {
        dropped.accept(networkAt(i));
        delete(i);
        removed++;
        // delete() may have shifted another entry into slot i: look at it again.
      } else {
        i++;
      }
    }
    return removed;
  }

  /** Calls {@code action} with every network on record. */
  void forEach(Consumer<Cidr> action) {
    for (int i = 0; i < tag.length; i++) {
      if (tag[i] != 0) {
        action.accept(networkAt(i));
      }
    }
  }

  private Cidr networkAt(int i) {
    boolean v4 = tag[i] <= 33;
    int prefix = v4 ? tag[i] - 1 : tag[i] - 129;
    return new Cidr(new IpAddress(v4 ? IpAddress.Family.IPV4 : IpAddress.Family.IPV6,
        high[i], low[i]), prefix);
  }

  /** Linear-probing deletion by backward shift, so lookups need no tombstones. */
  private void delete(int index) {
    int mask = tag.length - 1;
    int hole = index;
    int next = (hole + 1) & mask;
    while (tag[next] != 0) {
      int home = slot(high[next], low[next], tag[next]);
      // Move next into the hole if its home is not in (hole, next].
      boolean between = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (!between) {
        high[hole] = high[next];
        low[hole] = low[next];
        tag[hole] = tag[next];
        first[hole] = first[next];
        last[hole] = last[next];
        retry[hole] = retry[next];
        hole = next;
      }
      next = (next + 1) & mask;
    }
    tag[hole] = 0;
    size--;
  }

  private void grow() {
    long[] oldHigh = high;
    long[] oldLow = low;
    short[] oldTag = tag;
    int[] oldFirst = first;
    int[] oldLast = last;
    int[] oldRetry = retry;
    allocate(tag.length * 2);
    for (int i = 0; i < oldTag.length; i++) {
      if (oldTag[i] != 0) {
        int index = -1 - find(oldHigh[i], oldLow[i], oldTag[i]);
        high[index] = oldHigh[i];
        low[index] = oldLow[i];
        tag[index] = oldTag[i];
        first[index] = oldFirst[i];
        last[index] = oldLast[i];
        retry[index] = oldRetry[i];
      }
    }
  }
}
