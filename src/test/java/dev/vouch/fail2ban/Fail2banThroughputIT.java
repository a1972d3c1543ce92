package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the ignore-list work of a reconciler takes against a real fail2ban, printed for
 * information (no limits: the machine is shared). The comparison is the stock client, which starts
 * a Python process per command, as an action or a shell loop would.
 */
class Fail2banThroughputIT {
  private static final int BATCH = 10_000;
  private static final int LOOP = 200;

  @TempDir Path dir;

  @Test
  void printsTheCostOfLargeIgnoreLists() {
    try (Fail2banServer fail2ban = Fail2banServer.start(dir, "batched", "single", "stock");
        Fail2banClient client = fail2ban.client();
        Fail2banClient reusing =
            new Fail2banClient(fail2ban.settings().withReuseConnection(true))) {
      List<IpEntry> entries = addresses(BATCH, 10);

      long started = System.nanoTime();
      List<IpEntry> after = client.addIgnoreIp("batched", entries);
      long batched = System.nanoTime() - started;
      assertEquals(BATCH, after.size());

      started = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertEquals(BATCH, client.ignoreIp("batched").size());
      }
      long read = (System.nanoTime() - started) / 5;
      byte[] request = PickleWriter.request(List.of("get", "batched", "ignoreip"));
      byte[] reply = null;
      started = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        reply = client.channel().exchange(request, "get batched ignoreip");
      }
      long exchange = (System.nanoTime() - started) / 5;
      started = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        Unpickler.load(reply);
      }
      long unpickle = (System.nanoTime() - started) / 20;

      started = System.nanoTime();
      for (IpEntry entry : entries.subList(0, LOOP)) {
        client.delIgnoreIp("batched", entry);
      }
      long deleteConnecting = (System.nanoTime() - started) / LOOP;
      started = System.nanoTime();
      for (IpEntry entry : entries.subList(LOOP, 2 * LOOP)) {
        reusing.delIgnoreIp("batched", entry);
      }
      long deleteReusing = (System.nanoTime() - started) / LOOP;
      assertEquals(BATCH - 2 * LOOP, client.ignoreIp("batched").size());

      started = System.nanoTime();
      List<IpEntry> left =
          client.delIgnoreIp("batched", entries.subList(2 * LOOP, 2 * LOOP + 1000));
      long deleteStream = System.nanoTime() - started;
      assertEquals(BATCH - 2 * LOOP - 1000, left.size());

      List<IpEntry> few = addresses(LOOP, 20);
      started = System.nanoTime();
      for (IpEntry entry : few) {
        reusing.addIgnoreIp("single", entry);
      }
      long addOneByOne = (System.nanoTime() - started) / LOOP;

      started = System.nanoTime();
      for (IpEntry entry : few) {
        Fail2banServer.ClientRun run =
            fail2ban.fail2banClient("set", "stock", "addignoreip", entry.text());
        assertEquals(0, run.exitCode(), run.toString());
      }
      long stock = System.nanoTime() - started;
      assertEquals(LOOP, client.ignoreIp("stock").size());

      System.out.printf("""
          fail2ban ignore lists (fail2ban-server 1.0.2, this machine, informational):
            vouch: add %,d entries in one request         %,8.1f ms  (%.1f µs per entry)
            vouch: read a list of %,d entries             %,8.1f ms
              of which the socket round trip (%,d KB)     %,8.1f ms
              of which unpickling                        %,8.1f ms
            vouch: delete one entry from ~%,d, connecting %,8.2f ms per call
            vouch: delete one entry from ~%,d, reusing    %,8.2f ms per call
            vouch: delete 1,000 entries in one stream        %,8.1f ms
            vouch: add %d entries one request each          %,8.2f ms per call
            fail2ban-client set J addignoreip, %d runs       %,8.1f ms  (%,.1f ms per run)
          """, BATCH, batched / 1e6, batched / 1e3 / BATCH, BATCH, read / 1e6, reply.length / 1024,
          exchange / 1e6, unpickle / 1e6, BATCH,
          deleteConnecting / 1e6, BATCH, deleteReusing / 1e6, deleteStream / 1e6, LOOP,
          addOneByOne / 1e6, LOOP,
          stock / 1e6, stock / 1e6 / LOOP);
    }
  }

  /** {@code count} distinct addresses: IPv4 mostly, every tenth IPv6, every fiftieth a network. */
  private static List<IpEntry> addresses(int count, int firstOctet) {
    List<IpEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (i % 50 == 0) {
        entries.add(IpEntry.parse("172." + (16 + i / 50 % 16) + "." + i / 50 / 16 + ".0/24"));
      } else if (i % 10 == 0) {
        entries.add(IpEntry.parse("2001:db8:" + Integer.toHexString(firstOctet) + "::"
            + Integer.toHexString(i)));
      } else {
        entries.add(IpEntry.parse(firstOctet + "." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "."
            + (i & 0xff)));
      }
    }
    return entries;
  }
}
