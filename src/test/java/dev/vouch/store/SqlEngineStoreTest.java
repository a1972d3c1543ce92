package dev.vouch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.allowlist.AllowanceKey;
import dev.vouch.allowlist.Evidence;
import dev.vouch.audit.Event;
import dev.vouch.audit.EventKind;
import dev.vouch.jail.Ban;
import dev.vouch.jail.BanKey;
import dev.vouch.jail.FailureWindow;
import dev.vouch.jail.StateChanges;
import dev.vouch.net.Cidr;
import dev.vouch.watch.LogPosition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlEngineStoreTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;

  private static Allowance allowance(String network, String scope, Optional<Instant> until) {
    return new Allowance(new AllowanceKey(Cidr.parse(network), scope, AllowSource.LOGIN, "sshd-allow"),
        Evidence.login("sshd-allow", "sshd-success", Optional.of("alice"), "Accepted publickey"),
        T0, T0, until, 1);
  }

  @Test
  void committedStateSurvivesReopening() {
    Path file = dir.resolve("db/vouch");
    try (Database database = Database.open(file)) {
      StateChanges changes = new StateChanges();
      changes.putAllowance(allowance("198.51.100.4", "sshd", Optional.of(T0.plusSeconds(3600))));
      changes.putAllowance(allowance("2001:db8::/64", "*", Optional.empty()));
      changes.putBan(new Ban(Cidr.parse("203.0.113.7"), "sshd", T0, Optional.of(T0.plusSeconds(600)),
          1, "failregex 0: Failed password"));
      changes.add(new Event(T0, EventKind.GRANT, "198.51.100.4", "sshd-allow", Optional.of("alice"),
          Optional.of("line"), Optional.empty(), Optional.empty()));
      changes.putPosition(new LogPosition("/var/log/auth.log", "dev=1,ino=2", 1234, "abc"));
      changes.putFailures(new FailureWindow(new BanKey(Cidr.parse("192.0.2.9"), "sshd"), T0,
          T0.plusSeconds(30), 2));
      changes.putFailures(new FailureWindow(new BanKey(Cidr.parse("192.0.2.10"), "sshd"), T0, T0,
          1));
      new SqlEngineStore(database).commit(changes);
      StateChanges later = new StateChanges();
      later.removeFailures(new BanKey(Cidr.parse("192.0.2.10"), "sshd"));
      new SqlEngineStore(database).commit(later);
    }
    try (Database database = Database.open(file)) {
      assertEquals(Schema.latest(), database.schemaVersion());
      var snapshot = new SqlEngineStore(database).load();
      assertEquals(java.util.List.of(new FailureWindow(new BanKey(Cidr.parse("192.0.2.9"), "sshd"),
          T0, T0.plusSeconds(30), 2)), snapshot.failures());
      assertEquals(2, snapshot.allowances().size());
      assertEquals(1, snapshot.bans().size());
      assertEquals(1234, snapshot.positions().get(0).offset());
      Allowance v6 = snapshot.allowances().stream().filter(Allowance::permanent).findFirst().orElseThrow();
      assertEquals("2001:db8::/64", v6.network().toString());
      assertEquals(Optional.of("alice"), v6.evidence().user());
    }
  }

  @Test
  void aSecondOpenIsRefusedWithAClearMessage() {
    Path file = dir.resolve("vouch");
    try (Database database = Database.open(file)) {
      StoreException error = assertThrows(StoreException.class, () -> {
        // HSQLDB locks per process through the .lck file; a second open in another process
        // fails. In one JVM the same file is shared, so check through a child process.
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), file.toString())
            .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        child.waitFor();
        throw new StoreException(output.trim(), null);
      });
      assertTrue(error.getMessage().contains("in use by another process"), error.getMessage());
    }
  }

  /** Tries to open the database given as argument and prints what happened. */
  public static final class LockProbe {
    public static void main(String[] args) {
      try (Database database = Database.open(Path.of(args[0]))) {
        System.out.println("opened");
      } catch (StoreException e) {
        System.out.println(e.getMessage());
      }
    }
  }

  /** A busy batch: thousands of events and failure windows in one synced transaction. */
  @Test
  void largeBatchesCommitWhole() {
    try (Database database = Database.open(dir.resolve("vouch"))) {
      SqlEngineStore store = new SqlEngineStore(database);
      int batches = 10;
      int perBatch = 2000;
      long start = System.nanoTime();
      for (int b = 0; b < batches; b++) {
        StateChanges changes = new StateChanges();
        for (int i = 0; i < perBatch; i++) {
          String address = "10.0." + b + "." + (i % 250);
          changes.putFailures(new FailureWindow(new BanKey(Cidr.parse(address), "sshd"), T0,
              T0.plusSeconds(i), 1 + i / 250));
          changes.add(new Event(T0, EventKind.SPARED, address, "sshd", Optional.of("root"),
              Optional.of("Mar  1 10:00:00 host sshd[1]: Failed password for root from " + address
                  + " port 22 ssh2"), Optional.of("allowed by office"), Optional.empty()));
        }
        store.commit(changes);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("store: %d events and %d window updates in %d synced commits: %.0f rows/s%n",
          batches * perBatch, batches * perBatch, batches, 2 * batches * perBatch / seconds);
      assertEquals(batches * 250, store.load().failures().size(), "one window per address");
      assertEquals(perBatch / 250, store.load().failures().stream()
          .mapToInt(FailureWindow::attempts).max().orElse(0), "the last update of each wins");
      int spared = database.jdbi().withHandle(handle -> handle.createQuery(
          "SELECT COUNT(*) FROM events WHERE kind = 'spared'").mapTo(Integer.class).one());
      assertEquals(batches * perBatch, spared);
    }
  }
}
