package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.net.IpAddress;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real fail2ban-server 1.0.2, compared with fail2ban's own client. */
class Fail2banClientIT {
  private static final int MANY_FILES = 300;

  @TempDir static Path dir;
  static Fail2banServer fail2ban;
  static Fail2banClient client;

  @BeforeAll
  static void startFail2ban() throws IOException {
    Path many = Files.createDirectories(dir.resolve("many"));
    for (int i = 0; i < MANY_FILES; i++) {
      Files.createFile(many.resolve(String.format("app-%03d.log", i)));
    }
    fail2ban = Fail2banServer.builder(dir)
        .jail("testjail").jail("second").jail("entries").jail("absent").jail("stock")
        .jail("big").jail("bans").jail("watch").jail("bulk")
        .jail("many", Map.of("logpath", many + "/*.log"))
        .start();
    client = fail2ban.client();
  }

  @AfterAll
  static void stopFail2ban() {
    client.close();
    fail2ban.close();
  }

  @Test
  void answersPingAndVersion() {
    client.ping();

    assertEquals("1.0.2", client.version());
  }

  @Test
  void listsTheJailsAndPrintsStatusAsFail2banClientDoes() {
    assertEquals(List.of("absent", "bans", "big", "bulk", "entries", "many", "second", "stock",
        "testjail", "watch"), client.jails());
    assertEquals(stockClient("status"), client.status().format());
    assertEquals(stockClient("status", "testjail"), client.status("testjail").format());
  }

  @Test
  void roundTripsIgnoreEntriesOfEveryKind() {
    List<IpEntry> added = List.of(IpEntry.parse("192.0.2.7"), IpEntry.parse("2001:DB8::1"),
        IpEntry.parse("10.1.2.3/8"), IpEntry.parse("2001:db8:1::/48"),
        IpEntry.hostName("mail.example.org"), IpEntry.parse("::0102:0304"),
        IpEntry.parse("198.51.100.0/255.255.255.0"));

    List<IpEntry> after = client.addIgnoreIp("entries", added);

    // fail2ban keeps networks and names in a list (in order), single addresses in a set.
    assertEquals(List.of(IpEntry.parse("10.0.0.0/8"), IpEntry.parse("2001:db8:1::/48"),
        new IpEntry.Name("mail.example.org"), IpEntry.parse("198.51.100.0/24")),
        after.subList(0, 4));
    assertEquals(new HashSet<>(added), new HashSet<>(after));
    assertEquals(after, client.ignoreIp("entries"));
    assertEquals(texts(after), stockIgnoreList("entries"));
    for (IpEntry entry : added) {
      List<IpEntry> left = client.delIgnoreIp("entries", entry);
      assertFalse(left.contains(entry), entry + " still in " + left);
    }
    assertEquals(List.of(), client.ignoreIp("entries"));
  }

  @Test
  void everyEntryComesBackInFail2bansSpelling() {
    List<IpEntry> after = client.addIgnoreIp("second", IpEntry.parse("::1.2.3.4"),
        IpEntry.parse("::1.2.0.0/112"), IpEntry.parse("2001:db8:0:1:1:1:1:1"),
        IpEntry.parse("::ffff:192.0.2.9"));

    for (IpEntry entry : after) {
      assertFalse(entry instanceof IpEntry.Name, entry + " was not recognised as an address");
    }
    assertEquals(Set.of("::1.2.3.4", "::1.2.0.0/112", "2001:db8:0:1:1:1:1:1", "192.0.2.9"),
        new HashSet<>(texts(after)));
  }

  @Test
  void addingTwiceKeepsOneEntryAndRemovingAnAbsentOneIsNoError() {
    IpEntry entry = IpEntry.parse("203.0.113.77");
    client.addIgnoreIp("absent", entry);

    assertEquals(List.of(entry), client.addIgnoreIp("absent", entry, entry));
    assertEquals(List.of(), client.delIgnoreIp("absent", entry));
    assertEquals(List.of(), client.delIgnoreIp("absent", entry));
  }

  @Test
  void removesManyEntriesInOneStreamSkippingAbsentOnes() {
    List<IpEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 250; i++) {
      entries.add(IpEntry.parse("192.0.2." + i));
      entries.add(IpEntry.parse("2001:db8::" + Integer.toHexString(i)));
    }
    entries.add(IpEntry.parse("10.9.0.0/16"));
    entries.add(IpEntry.hostName("keep.example.org"));
    List<IpEntry> present = client.addIgnoreIp("bulk", entries);
    List<IpEntry> remove = new ArrayList<>(present);
    remove.remove(IpEntry.hostName("keep.example.org"));
    remove.add(5, IpEntry.parse("198.51.100.200")); // never there
    remove.add(remove.get(0)); // twice

    List<IpEntry> after = client.delIgnoreIp("bulk", remove);

    assertEquals(List.of(IpEntry.hostName("keep.example.org")), after);
    assertEquals(after, client.ignoreIp("bulk"));
    assertEquals(after, client.delIgnoreIp("bulk", List.of()));
    assertThrows(UnknownJailException.class,
        () -> client.delIgnoreIp("nosuchjail", List.of(IpEntry.parse("192.0.2.1"))));
  }

  @Test
  void readsEntriesTheStockClientAdded() {
    Fail2banServer.ClientRun run = fail2ban.fail2banClient("set", "stock", "addignoreip",
        "198.51.100.0/24", "host.example", "2001:db8::7");

    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(List.of(IpEntry.parse("198.51.100.0/24"), new IpEntry.Name("host.example"),
        IpEntry.parse("2001:db8::7")), client.ignoreIp("stock"));
  }

  @Test
  void anUnknownJailIsNamedInTheError() {
    UnknownJailException error =
        assertThrows(UnknownJailException.class, () -> client.ignoreIp("nosuchjail"));

    assertEquals("nosuchjail", error.jail());
    assertEquals("fail2ban has no jail 'nosuchjail' (asked: 'get nosuchjail ignoreip'). Check the"
        + " name against 'fail2ban-client status', and that the jail is enabled in fail2ban's"
        + " jail.local.", error.getMessage());
    assertThrows(UnknownJailException.class, () -> client.status("nosuchjail"));
    assertThrows(UnknownJailException.class,
        () -> client.addIgnoreIp("nosuchjail", IpEntry.parse("192.0.2.1")));
    assertThrows(UnknownJailException.class,
        () -> client.delIgnoreIp("nosuchjail", IpEntry.parse("192.0.2.1")));
  }

  @Test
  void otherExceptionsCarryTheirPythonTypeAndMessage() {
    Fail2banCommandException error = assertThrows(Fail2banCommandException.class,
        () -> client.call("set", "testjail", "no-such-setting", "x"));

    assertEquals("builtins.Exception", error.pythonType());
    assertEquals("Invalid command 'no-such-setting' (no set action or not yet implemented)",
        error.pythonMessage());
  }

  @Test
  void garbageBytesGetTheBareErrorReply() {
    byte[] garbage = "this is no pickle<F2B_END_COMMAND>".getBytes();

    byte[] reply = client.channel().exchange(garbage, "garbage");

    Object value = Unpickler.load(reply);
    assertTrue(value instanceof String text && text.startsWith("ERROR: "), String.valueOf(value));
    Fail2banProtocolException error = assertThrows(Fail2banProtocolException.class,
        () -> Reply.value(value, "garbage", fail2ban.socket()));
    assertTrue(error.getMessage().contains("could not process 'garbage' and answered 'ERROR: "),
        error.getMessage());
    client.ping(); // and fail2ban carries on
  }

  @Test
  void theIntFloatAndOtherFormsOfTheWriterReachFail2banIntact() {
    List<Object> values = Arrays.asList(3L, 300L, 70000L, -1L, 1L << 40,
        new BigInteger("123456789012345678901234567890"), 0.1, 2629800.0, true, false, null,
        new ArrayList<>(List.of("nested", 1L)), "ünïcödé \udcff");
    List<Object> command = new ArrayList<>();
    command.add("echo");
    command.addAll(values);

    assertEquals(values, client.channel().call(command));
    assertEquals("pong", client.call("ping", 0.1));
  }

  @Test
  void largeIgnoreListsArriveInSeveralAppendsBatches() {
    List<IpEntry> entries = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      entries.add(IpEntry.parse("10." + i / 250 + "." + i % 250 + ".0/24"));
    }
    for (int i = 0; i < 500; i++) {
      entries.add(IpEntry.parse("192.0." + i / 250 + "." + (i % 250 + 1)));
    }
    for (int i = 0; i < 50; i++) {
      entries.add(IpEntry.hostName("host" + i + ".example.org"));
    }

    List<IpEntry> after = client.addIgnoreIp("big", entries);

    assertEquals(1150, after.size());
    assertEquals(new HashSet<>(entries), new HashSet<>(after));
    Map<Integer, Integer> opcodes = opcodeCounts("get", "big", "ignoreip");
    assertTrue(opcodes.get((int) 'e') >= 2, "APPENDS batches: " + opcodes.get((int) 'e'));
    assertTrue(opcodes.get(0x94) > 3300, "MEMOIZE: " + opcodes.get(0x94));
    assertEquals(texts(after), stockIgnoreList("big"));
  }

  @Test
  void aStatusWithManyFilesReachesBackIntoTheMemoWithLongBinget() {
    assertEquals(2, client.banIp("many", IpAddress.parse("203.0.113.1"),
        IpAddress.parse("203.0.113.2")));

    // 300 file names are memoized before builtins.str first appears; each later IP fetches str
    // from a memo index past 255.
    Map<Integer, Integer> opcodes = opcodeCounts("status", "many");
    assertTrue(opcodes.getOrDefault((int) 'j', 0) >= 1, "LONG_BINGET: " + opcodes);
    Fail2banStatus status = client.status("many");
    assertEquals(stockClient("status", "many"), status.format());
    assertEquals(new StatusEntry.Items(List.of("203.0.113.1", "203.0.113.2")),
        status.value("Actions", "Banned IP list").orElseThrow());
    assertEquals(MANY_FILES, ((StatusEntry.Items) status.value("Filter", "File list")
        .orElseThrow()).items().size());
  }

  @Test
  void bansAndUnbans() throws IOException {
    IpAddress v4 = IpAddress.parse("203.0.113.5");
    IpAddress v6 = IpAddress.parse("2001:db8::5");

    assertEquals(2, client.banIp("bans", v4, v6));
    assertEquals(0, client.banIp("bans", v4));
    assertTrue(client.isBanned("bans", v6));
    assertEquals(List.of(IpEntry.of(v4), IpEntry.of(v6)), client.banned("bans"));
    assertEquals(1, client.unban("bans", IpEntry.parse("2001:db8::/64")));
    assertEquals(0, client.unban("bans", IpEntry.parse("198.51.100.1")));
    assertFalse(client.isBanned("bans", v6));
    assertEquals(List.of(IpEntry.of(v4)), client.banned("bans"));
    assertTrue(Files.readString(dir.resolve("bans.dummy")).contains("-2001:db8::5"));
  }

  @Test
  void failuresInTheWatchedLogBan() throws InterruptedException {
    IpAddress attacker = IpAddress.parse("198.51.100.9");
    fail2ban.appendLog("watch", "auth failure from 198.51.100.9", "auth failure from 198.51.100.9",
        "auth failure from 198.51.100.9");

    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!client.isBanned("watch", attacker) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(client.isBanned("watch", attacker), fail2ban.diagnostics());
  }

  private static Map<Integer, Integer> opcodeCounts(String... command) {
    byte[] frame = PickleWriter.request(List.of(command));
    byte[] reply = client.channel().exchange(frame, String.join(" ", command));
    Map<Integer, Integer> counts = new HashMap<>();
    Unpickler.load(reply, 0, reply.length, opcode -> counts.merge(opcode, 1, Integer::sum));
    return counts;
  }

  /** What {@code fail2ban-client ARGS} prints, without its final newline. */
  private static String stockClient(String... args) {
    Fail2banServer.ClientRun run = fail2ban.fail2banClient(args);
    assertEquals(0, run.exitCode(), run.toString());
    return run.stdout().endsWith("\n") ? run.stdout().substring(0, run.stdout().length() - 1)
        : run.stdout();
  }

  /** The entries {@code fail2ban-client get JAIL ignoreip} lists, in its order. */
  private static List<String> stockIgnoreList(String jail) {
    return Stream.of(stockClient("get", jail, "ignoreip").split("\n"))
        .filter(line -> line.startsWith("|- ") || line.startsWith("`- "))
        .map(line -> line.substring(3))
        .collect(Collectors.toList());
  }

  private static List<String> texts(List<IpEntry> entries) {
    return entries.stream().map(IpEntry::text).collect(Collectors.toList());
  }
}
