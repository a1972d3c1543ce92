package dev.vouch.jail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import dev.vouch.store.Database;
import dev.vouch.store.SqlEngineStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final ZoneId UTC = ZoneOffset.UTC;

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(NOW, UTC);
  private final List<String> actionLog = new CopyOnWriteArrayList<>();
  private Database database;
  private Engine engine;
  private FilterSession failures;
  private FilterSession successes;

  private static FilterSession session(String regex, Clock clock) {
    Filter filter = Filter.compile(new FilterSpec("test", Optional.empty(),
        List.of(new RegexSource(regex, "test.conf:1")), List.of(), 1, Optional.empty(),
        UseDns.NO, Optional.empty()), java.time.Year.of(2026));
    return filter.newSession(clock, UTC, HostResolver.NONE);
  }

  @BeforeEach
  void setUp() {
    database = Database.open(dir.resolve("vouch"));
    failures = session("^ host sshd\\[\\d+\\]: Failed password for \\S+ from <HOST>", clock);
    successes = session("^ host sshd\\[\\d+\\]: Accepted \\w+ for \\S+ from <HOST>", clock);
    engine = newEngine();
  }

  private Engine newEngine() {
    return newEngine(true);
  }

  private Engine newEngine(boolean live) {
    Engine created = new Engine(new SqlEngineStore(database), clock, UTC, live);
    created.addBanJail(new BanJailSettings("sshd", 3, Duration.ofMinutes(10),
        Optional.of(Duration.ofMinutes(10)), BanTimeIncrement.OFF), new JailActions() {
          @Override
          public void ban(Ban ban, Optional<FilterMatch> match, boolean restored) {
            actionLog.add((restored ? "restore " : "ban ") + ban.network());
          }

          @Override
          public void unban(Ban ban, Instant at) {
            actionLog.add("unban " + ban.network());
          }
        });
    created.addAllowJail(new AllowJailSettings("sshd-allow", "sshd-success", List.of("sshd"),
        Optional.of(Duration.ofDays(30)), 1, Duration.ofMinutes(10), AllowPrefix.DEFAULT),
        JailActions.NONE);
    return created;
  }

  @AfterEach
  void tearDown() {
    engine.close();
    database.close();
  }

  private void feed(String jail, FilterSession session, String line) {
    for (FilterMatch match : session.process(line).matches()) {
      engine.found(jail, match, line);
    }
  }

  private void failure(String address) {
    feed("sshd", failures, "Mar 01 09:59:59 host sshd[1]: Failed password for root from " + address + " port 22 ssh2");
  }

  private void success(String address) {
    feed("sshd-allow", successes, "Mar 01 09:59:59 host sshd[2]: Accepted publickey for alice from " + address + " port 22 ssh2");
  }

  private <T> T view(java.util.function.Function<EngineView, T> work) {
    return engine.call(work).join();
  }

  @Test
  void bansAfterMaxretryWithinFindtime() {
    engine.start();
    failure("203.0.113.7");
    failure("203.0.113.7");
    assertTrue(view(EngineView::bans).isEmpty());
    failure("203.0.113.7");
    List<Ban> bans = view(EngineView::bans);
    assertEquals(1, bans.size());
    assertEquals("203.0.113.7", bans.get(0).network().toString());
    assertEquals(List.of("ban 203.0.113.7"), actionLog);
  }

  @Test
  void neverBansAnAllowlistedAddress() {
    engine.start();
    success("198.51.100.4");
    for (int i = 0; i < 10; i++) {
      failure("198.51.100.4");
    }
    assertTrue(view(EngineView::bans).isEmpty());
    JailStatus.BanJailStatus status = (JailStatus.BanJailStatus) view(v -> v.status("sshd"));
    assertEquals(10, status.spared());
    assertEquals(0, status.totalFailed());
  }

  @Test
  void unbansAtOnceWhenABannedAddressIsVouchedFor() {
    engine.start();
    for (int i = 0; i < 3; i++) {
      failure("198.51.100.9");
    }
    assertEquals(1, view(EngineView::bans).size());
    success("198.51.100.9");
    assertTrue(view(EngineView::bans).isEmpty());
    assertEquals(List.of("ban 198.51.100.9", "unban 198.51.100.9"), actionLog);
  }

  @Test
  void ipv6LoginsAreAllowedForTheirSlash64() {
    engine.start();
    success("2001:db8:1:2::17");
    assertTrue(view(v -> v.check(IpAddress.parse("2001:db8:1:2:abcd::1"), Optional.of("sshd"))).isPresent());
    assertFalse(view(v -> v.check(IpAddress.parse("2001:db8:1:3::1"), Optional.of("sshd"))).isPresent());
  }

  @Test
  void allowancesAndBansSurviveARestart() {
    engine.start();
    success("198.51.100.4");
    for (int i = 0; i < 3; i++) {
      failure("203.0.113.7");
    }
    view(v -> v.allow(List.of(Cidr.parse("192.0.2.0/24")), List.of("*"), Optional.empty(),
        AllowSource.MANUAL, "", Evidence.note("office")));
    engine.close();

    engine = newEngine();
    engine.start();
    assertTrue(view(v -> v.check(IpAddress.parse("198.51.100.4"), Optional.of("sshd"))).isPresent());
    assertTrue(view(v -> v.check(IpAddress.parse("192.0.2.77"), Optional.of("sshd"))).isPresent());
    assertEquals(1, view(EngineView::bans).size());
    assertTrue(actionLog.contains("restore 203.0.113.7"));
  }

  /** Two failures before a restart and one after make three within findtime: a ban. */
  @Test
  void failureWindowsCountOnAcrossARestart() {
    engine.start();
    failure("203.0.113.9");
    failure("203.0.113.9");
    failure("203.0.113.10");
    view(v -> v.unban(Cidr.parse("203.0.113.10"), Optional.empty(), "nothing to unban"));
    engine.close();

    engine = newEngine();
    engine.start();
    JailStatus.BanJailStatus status = (JailStatus.BanJailStatus) view(v -> v.status("sshd"));
    assertEquals(2, status.currentlyFailed(), "both windows are back");
    failure("203.0.113.9");
    assertEquals(1, view(EngineView::bans).size());
    assertEquals(List.of("ban 203.0.113.9"), actionLog);
    failure("203.0.113.10");
    assertEquals(1, view(EngineView::bans).size(), "203.0.113.10 has 2 of 3");
  }

  @Test
  void aManualUnbanIsNotUndoneByARestart() {
    engine.start();
    for (int i = 0; i < 3; i++) {
      failure("203.0.113.8");
    }
    view(v -> v.unban(Cidr.parse("203.0.113.8"), Optional.empty(), "by hand"));
    engine.close();
    engine = newEngine();
    engine.start();
    assertTrue(view(EngineView::bans).isEmpty());
  }

  @Test
  void failuresFromManyAddressesEachCountSeparately() {
    engine.start();
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      addresses.add("10.0." + (i / 250) + "." + (i % 250));
    }
    for (int round = 0; round < 2; round++) {
      addresses.forEach(this::failure);
    }
    JailStatus.BanJailStatus status = (JailStatus.BanJailStatus) view(v -> v.status("sshd"));
    assertEquals(200, status.currentlyFailed());
    assertEquals(400, status.totalFailed());
    assertEquals(0, status.banned().size());
  }

  /**
   * A replay hands a batch's matches over as one piece of work; each still moves the log's
   * clock before it is handled, so a ban ends at its time in the log and a success vouches in
   * the middle of the batch, as when the matches came one by one.
   */
  @Test
  void aReplayedBatchIsHandledMatchByMatchOnTheLogsClock() {
    engine.close();
    engine = newEngine(false);
    engine.start();
    List<Engine.Found> batch = new ArrayList<>();
    String[] lines = {
        "Mar 01 08:00:00 host sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2",
        "Mar 01 08:00:01 host sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2",
        "Mar 01 08:00:02 host sshd[1]: Failed password for root from 203.0.113.7 port 22 ssh2",
        "Mar 01 08:05:00 host sshd[2]: Accepted publickey for alice from 198.51.100.4 port 22 ssh2",
        "Mar 01 08:05:01 host sshd[3]: Failed password for bob from 198.51.100.4 port 22 ssh2",
        "Mar 01 08:05:02 host sshd[3]: Failed password for bob from 198.51.100.4 port 22 ssh2",
        "Mar 01 08:05:03 host sshd[3]: Failed password for bob from 198.51.100.4 port 22 ssh2",
        "Mar 01 08:30:00 host sshd[4]: Failed password for root from 192.0.2.9 port 22 ssh2"};
    for (String line : lines) {
      boolean success = line.contains("Accepted");
      for (FilterMatch match : (success ? successes : failures).process(line).matches()) {
        batch.add(new Engine.Found(success ? "sshd-allow" : "sshd", match, line));
      }
    }
    engine.replayed(batch);
    JailStatus.BanJailStatus status = (JailStatus.BanJailStatus) view(v -> v.status("sshd"));
    assertEquals(3, status.spared(), "the vouched-for address's failures are spared");
    assertEquals(4, status.totalFailed());
    assertEquals(1, status.totalBanned());
    assertTrue(status.banned().isEmpty(), "the ban ended at 08:10 of the log's clock");
  }
}
