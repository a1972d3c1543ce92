package dev.vouch.bench;

import dev.vouch.allowlist.AllowPrefix;
import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Evidence;
import dev.vouch.filter.Filter;
import dev.vouch.filter.FilterMatch;
import dev.vouch.filter.FilterSession;
import dev.vouch.filter.FilterSpec;
import dev.vouch.filter.HostResolver;
import dev.vouch.filter.RegexSource;
import dev.vouch.filter.UseDns;
import dev.vouch.jail.AllowJailSettings;
import dev.vouch.jail.BanJailSettings;
import dev.vouch.jail.BanTimeIncrement;
import dev.vouch.jail.Engine;
import dev.vouch.jail.JailActions;
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import dev.vouch.store.Database;
import dev.vouch.store.SqlEngineStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The heap of the engine with 1,000,000 distinct failing addresses (each within findtime, none
 * banned) and 100,000 allowances (bench/replay-bench), measured after full collections, with the
 * database a real file; and the time of an allowlist lookup at that size.
 */
public final class HeapBench {
  private static final int FAILING = 1_000_000;
  private static final int ALLOWED = 100_000;

  private HeapBench() {}

  public static void main(String[] args) throws Exception {
    BenchFiles.quietLogs();
    Path directory = Path.of(args[0]).toAbsolutePath();
    BenchFiles.deleteTree(directory);
    long baseline = usedAfterGc();
    Clock clock = Clock.systemUTC();
    Filter filter = Filter.compile(new FilterSpec("bench", Optional.empty(),
        List.of(new RegexSource("^Failed password for root from <HOST>$", "bench:1")), List.of(),
        1, Optional.empty(), UseDns.NO, Optional.empty()), Year.now(clock));
    FilterSession session = filter.newSession(clock, ZoneOffset.UTC, HostResolver.NONE);
    try (Database database = Database.open(directory.resolve("vouch"));
        Engine engine = new Engine(new SqlEngineStore(database), clock, ZoneOffset.UTC, true)) {
      engine.addBanJail(new BanJailSettings("sshd", 10_000_000, Duration.ofDays(1),
          Optional.of(Duration.ofHours(1)), BanTimeIncrement.OFF), JailActions.NONE);
      engine.addAllowJail(new AllowJailSettings("sshd-allow", "sshd-success", List.of("sshd"),
          Optional.of(Duration.ofDays(30)), 1, Duration.ofMinutes(10), AllowPrefix.DEFAULT),
          JailActions.NONE);
      engine.start();
      long started = System.nanoTime();
      double now = clock.millis() / 1000.0;
      for (int i = 0; i < FAILING; i++) {
        String line = "Failed password for root from " + address(i);
        for (FilterMatch match : session.process(line, now).matches()) {
          engine.found("sshd", match, line);
        }
      }
      List<Cidr> networks = new ArrayList<>();
      for (int i = 0; i < ALLOWED; i++) {
        networks.add(Cidr.parse("2001:db8:" + Integer.toHexString(i / 65536) + ":"
            + Integer.toHexString(i % 65536) + "::/64"));
      }
      for (int from = 0; from < ALLOWED; from += 10_000) {
        List<Cidr> batch = networks.subList(from, from + 10_000);
        engine.call(view -> view.allow(batch, List.of("*"), Optional.empty(), AllowSource.IMPORT,
            "bench", Evidence.note("bench"))).join(); // durable, and so is all before it
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long used = usedAfterGc() - baseline;
      long lookups = 1_000_000;
      double lookupNanos = engine.call(view -> {
        long start = System.nanoTime();
        int allowed = 0;
        for (int i = 0; i < lookups; i++) {
          IpAddress probe = IpAddress.parse(i % 2 == 0 ? address(i % FAILING)
              : "2001:db8:" + Integer.toHexString(i % 2) + ":" + Integer.toHexString(i % 65536)
                  + "::1");
          allowed += view.check(probe, Optional.of("sshd")).isPresent() ? 1 : 0;
        }
        return (System.nanoTime() - start) / (double) lookups + allowed * 0.0;
      }).join();
      System.out.printf("heap with %,d failing addresses and %,d allowances: %.0f MB used"
          + " (after full GC, above the JVM's own %.0f MB; target under 256 MB); fed and stored"
          + " in %.1f s%n", FAILING, ALLOWED, used / 1e6, baseline / 1e6, seconds);
      System.out.printf("allowlist lookup with %,d entries: %.0f ns (address parsing included)%n",
          ALLOWED, lookupNanos);
    }
  }

  private static String address(int i) {
    return (11 + i / 16_777_216) + "." + (i / 65536 % 256) + "." + (i / 256 % 256) + "."
        + (i % 256);
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
