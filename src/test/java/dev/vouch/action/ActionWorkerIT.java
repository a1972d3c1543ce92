package dev.vouch.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.net.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionWorkerIT {
  @TempDir Path dir;

  private ActionTicket ticket(String address, Map<String, String> fields) {
    return new ActionTicket("sshd", Cidr.parse(address), 1772359200.5, 600, 1, 3,
        List.of("line one", "line 'two' $(x)"), fields, false);
  }

  private ActionWorker worker(Map<String, String> properties) {
    return new ActionWorker("sshd", ActionWorker.Kind.BAN,
        List.of(new ActionSpec("record", "record", properties)), List.of(), ZoneOffset.UTC);
  }

  private List<String> lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  @Test
  void valuesFromLogLinesNeverReachTheShellUnescaped() throws Exception {
    Path out = dir.resolve("out");
    Path pwned = dir.resolve("pwned");
    String hostile = "a$(touch " + pwned + ");b`touch " + pwned + "`|c*\"q'";
    ActionWorker worker = worker(Map.of(
        // Unquoted, the value would still be data but split into words; templates quote tags.
        "actionban", "printf '%s|%s\\n' <ip> \"<F-USER>\" >> " + out,
        "actionunban", "echo unban <ip> >> " + out));
    worker.start();
    worker.ban(ticket("203.0.113.7", Map.of("user", hostile)));
    worker.drain(Duration.ofSeconds(10));
    assertFalse(Files.exists(pwned), "a command ran from a log value");
    String line = lines(out).get(0);
    assertEquals("203.0.113.7|" + hostile, line);
    worker.stop(Duration.ofSeconds(10));
  }

  @Test
  void actionsWithFamilyVariantsStartOnDemandPerFamily() throws Exception {
    Path out = dir.resolve("out");
    ActionWorker worker = worker(Map.of(
        "actionstart", "echo start <set> >> " + out,
        "actionban", "echo ban <set> <ip> >> " + out,
        "actionunban", "echo unban <set> <ip> >> " + out,
        "actionstop", "echo stop <set> >> " + out,
        "set", "v4", "set?family=inet6", "v6"));
    worker.start();
    worker.drain(Duration.ofSeconds(10));
    assertEquals(List.of(), lines(out));
    worker.ban(ticket("203.0.113.7", Map.of()));
    worker.ban(ticket("2001:db8::7", Map.of()));
    worker.ban(ticket("203.0.113.8", Map.of()));
    worker.unban(ticket("203.0.113.8", Map.of()));
    worker.drain(Duration.ofSeconds(10));
    worker.stop(Duration.ofSeconds(10));
    assertEquals(List.of("start v4", "ban v4 203.0.113.7", "start v6", "ban v6 2001:db8::7",
        "ban v4 203.0.113.8", "unban v4 203.0.113.8",
        // no actionflush: the remaining bans are lifted one by one, then each family stops
        "unban v4 203.0.113.7", "unban v6 2001:db8::7", "stop v4", "stop v6"), lines(out));
  }

  @Test
  void aHungCommandIsKilledAtItsTimeoutAndRetriedOnce() throws Exception {
    Path out = dir.resolve("out");
    ActionWorker worker = worker(Map.of(
        "actionban", "echo try >> " + out + "; sleep 30",
        "timeout", "1"));
    worker.start();
    long start = System.nanoTime();
    worker.ban(ticket("203.0.113.7", Map.of()));
    worker.drain(Duration.ofSeconds(20));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(List.of("try", "try"), lines(out));
    assertTrue(seconds < 10, "took " + seconds + "s");
    worker.stop(Duration.ofSeconds(10));
  }

  @Test
  void stopNeverHangsOnAnActionThatDoes() throws Exception {
    ActionWorker worker = worker(Map.of(
        "actionstart", "true",
        "actionban", "true",
        "actionflush", "sleep 60",
        "actionstop", "sleep 60",
        "timeout", "1"));
    worker.start();
    worker.ban(ticket("203.0.113.7", Map.of()));
    worker.drain(Duration.ofSeconds(10));
    long start = System.nanoTime();
    worker.stop(Duration.ofSeconds(30));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds < 15, "stop took " + seconds + "s");
  }

  @Test
  void noNewBanStartsOnceStopBegins() throws Exception {
    Path out = dir.resolve("out");
    ActionWorker worker = worker(Map.of("actionban", "echo ban <ip> >> " + out));
    worker.start();
    worker.stop(Duration.ofSeconds(10));
    worker.ban(ticket("203.0.113.9", Map.of()));
    Thread.sleep(300);
    assertEquals(List.of(), lines(out));
  }

  @Test
  void theBuiltInLogActionWritesOneLinePerDecision() throws Exception {
    Path log = dir.resolve("log/decisions.log");
    ActionWorker worker = new ActionWorker("sshd", ActionWorker.Kind.BAN, List.of(), List.of(log),
        ZoneOffset.UTC);
    worker.start();
    worker.ban(ticket("203.0.113.7", Map.of()));
    worker.unban(ticket("203.0.113.7", Map.of()));
    worker.drain(Duration.ofSeconds(10));
    worker.stop(Duration.ofSeconds(10));
    assertEquals(List.of("2026-03-01T10:00:00 [sshd] Ban 203.0.113.7",
        "2026-03-01T10:00:00 [sshd] Unban 203.0.113.7"), lines(log));
  }
}
