package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client while fail2ban stops, restarts and reloads (reference §5.4, §5.5). */
class Fail2banLifecycleIT {
  /** An action whose stop takes 3 s, so that fail2ban's own stop command takes that long. */
  private static final String SLOW_STOP = """
      [Definition]
      actionstart =
      actionstop = sleep 3
      actioncheck =
      actionban =
      actionunban =
      """;

  @TempDir Path dir;

  @Test
  void reloadDropsRuntimeIgnoreEntriesButKeepsConfiguredOnes() {
    try (Fail2banServer fail2ban = Fail2banServer.builder(dir)
        .jail("sshd", Map.of("ignoreip", "127.0.0.1/8 ::1")).start();
        Fail2banClient client = fail2ban.client()) {
      client.addIgnoreIp("sshd", IpEntry.parse("192.0.2.1"));

      fail2ban.reload();

      assertEquals(List.of(IpEntry.parse("127.0.0.0/8"), IpEntry.parse("::1")),
          client.ignoreIp("sshd"));
    }
  }

  @Test
  void aReusedConnectionCarriesOnAcrossARestart() {
    try (Fail2banServer fail2ban = Fail2banServer.start(dir, "sshd");
        Fail2banClient client =
            new Fail2banClient(fail2ban.settings().withReuseConnection(true))) {
      client.addIgnoreIp("sshd", IpEntry.parse("192.0.2.1"));
      assertEquals(1, client.ignoreIp("sshd").size());

      fail2ban.restart();

      // The idle connection died with the old server; the client reconnects once by itself.
      assertEquals(List.of(), client.ignoreIp("sshd"));
      client.ping();
    }
  }

  @Test
  void aStoppedFail2banIsUnreachable() {
    try (Fail2banServer fail2ban = Fail2banServer.start(dir, "sshd");
        Fail2banClient reusing =
            new Fail2banClient(fail2ban.settings().withReuseConnection(true))) {
      reusing.ping();

      fail2ban.stop();

      assertFalse(Files.exists(fail2ban.socket()));
      Fail2banUnreachableException error =
          assertThrows(Fail2banUnreachableException.class, reusing::ping);
      assertTrue(error.getMessage().startsWith("cannot reach fail2ban at " + fail2ban.socket()
          + " (no socket file): is fail2ban running?"), error.getMessage());
    }
  }

  @Test
  void aKilledFail2banLeavesAStaleSocketThatRefuses() {
    try (Fail2banServer fail2ban = Fail2banServer.start(dir, "sshd");
        Fail2banClient client = fail2ban.client()) {
      fail2ban.kill();

      assertTrue(Files.exists(fail2ban.socket()));
      Fail2banUnreachableException error =
          assertThrows(Fail2banUnreachableException.class, client::ping);
      assertTrue(error.getMessage().contains("(connection refused: the socket file is there but"
          + " nothing listens on it)"), error.getMessage());

      fail2ban.restart(); // -x clears the stale socket
      client.ping();
    }
  }

  @Test
  void aCallThatWaitsWhileFail2banStopsFailsAsSoonAsItIsGone() throws Exception {
    try (Fail2banServer fail2ban = Fail2banServer.builder(dir)
        .action("slowstop", SLOW_STOP).jail("sshd", Map.of("action", "slowstop")).start()) {
      Fail2banSettings patient = fail2ban.settings().withReadTimeout(Duration.ofSeconds(30));
      CompletableFuture<Object> stop = new CompletableFuture<>();
      Thread stopper = new Thread(() -> {
        try (Fail2banClient client = new Fail2banClient(patient)) {
          stop.complete(client.call("stop"));
        } catch (RuntimeException e) {
          stop.completeExceptionally(e);
        }
      }, "fail2ban-stop");
      stopper.start();
      awaitLogLine(fail2ban, "Shutdown in progress");

      // fail2ban serves one command at a time: this ping queues behind the 3 s stop.
      long started = System.nanoTime();
      try (Fail2banClient waiting = new Fail2banClient(patient)) {
        Fail2banUnreachableException error =
            assertThrows(Fail2banUnreachableException.class, waiting::ping);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0,
            "took " + took + ", far more than the 3 s stop");
        assertTrue(error.getMessage().contains("fail2ban at " + fail2ban.socket()),
            error.getMessage());
      }
      assertNull(stop.get(30, TimeUnit.SECONDS), "stop answers (0, None)");
      stopper.join();
    }
  }

  private static void awaitLogLine(Fail2banServer fail2ban, String text)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.readString(fail2ban.serverLog()).contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("fail2ban never logged '" + text + "'\n" + fail2ban.diagnostics());
  }
}
