package dev.vouch.bench;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Evidence;
import dev.vouch.config.JailConfig;
import dev.vouch.config.JailDefinition;
import dev.vouch.config.JailsReader;
import dev.vouch.config.VouchConf;
import dev.vouch.daemon.Daemon;
import dev.vouch.fail2ban.Fail2banClient;
import dev.vouch.fail2ban.Fail2banServer;
import dev.vouch.fail2ban.IpEntry;
import dev.vouch.net.Cidr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The companion benchmark (bench/fail2ban-bench): 10,000 allowances pushed into a fail2ban
 * jail's ignore list by the vouch daemon, next to the same 10,000 through
 * {@code fail2ban-client set J addignoreip}, against one private fail2ban-server in the same run;
 * both lists must end equal. The stock client runs as a loop of commands in one interactive
 * process (a process per command costs the Python start each time: measured on a sample and
 * extrapolated).
 */
public final class Fail2banPushBench {
  private Fail2banPushBench() {}

  public static void main(String[] args) throws Exception {
    BenchFiles.quietLogs();
    int count = Integer.parseInt(args[0]);
    Path work = Path.of(args[1]).toAbsolutePath();
    Path project = Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();
    BenchFiles.deleteTree(work);
    Files.createDirectories(work.resolve("f2b"));
    List<Cidr> networks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      networks.add(Cidr.parse("10." + (i / 65536 % 256) + "." + (i / 256 % 256) + "." + (i % 256)));
    }
    try (Fail2banServer fail2ban = Fail2banServer.builder(work.resolve("f2b"))
        .jail("vouch").jail("stock").start()) {
      double vouchSeconds;
      try (Daemon daemon = startVouch(work.resolve("vouch"), project, fail2ban.socket())) {
        long start = System.nanoTime();
        daemon.call(view -> view.allow(networks, List.of("vouch"),
            Optional.of(Instant.now().plus(Duration.ofDays(1))), AllowSource.IMPORT, "bench",
            Evidence.note("bench")));
        while (ignoreIp(fail2ban, "vouch").size() < count) {
          Thread.sleep(100); // fail2ban serves one connection at a time: do not crowd out vouch
        }
        vouchSeconds = (System.nanoTime() - start) / 1e9;
      }

      StringBuilder commands = new StringBuilder();
      for (Cidr network : networks) {
        commands.append("set stock addignoreip ").append(network.address()).append('\n');
      }
      commands.append("exit\n");
      long start = System.nanoTime();
      Fail2banServer.ClientRun loop = fail2ban.fail2banClientWithInput(
          commands.toString().getBytes(StandardCharsets.UTF_8), "-i");
      double stockSeconds = (System.nanoTime() - start) / 1e9;
      if (loop.exitCode() != 0) {
        throw new IllegalStateException("fail2ban-client -i failed: " + loop.stderr());
      }
      int sample = Math.min(50, count);
      long perProcess = 0;
      for (int i = 0; i < sample; i++) {
        perProcess += fail2ban.fail2banClient("set", "stock", "addignoreip",
            "172.16.0." + (i + 1)).elapsed().toNanos();
      }
      double perRun = perProcess / 1e9 / sample;

      Set<String> vouch = ignoreIp(fail2ban, "vouch");
      Set<String> stock = ignoreIp(fail2ban, "stock");
      stock.removeIf(entry -> entry.startsWith("172.16.0."));
      if (!vouch.equals(stock)) {
        throw new IllegalStateException("the ignore lists differ: " + vouch.size() + " vs "
            + stock.size());
      }
      System.out.printf("""
          %,d allowances into a fail2ban jail's ignore list (fail2ban-server 1.0.2, private)
            vouch daemon (sync on), allowance to ignoreip      %7.2f s  %,8.0f entries/s
            fail2ban-client -i, %,d set J addignoreip          %7.2f s  %,8.0f entries/s
            fail2ban-client, a process per entry (sample %d)    %7.3f s each: %,.0f s for %,d
            vouch / fail2ban-client -i                         %7.1fx
          both ignore lists hold the same %,d entries
          """, count, vouchSeconds, count / vouchSeconds, count, stockSeconds,
          count / stockSeconds, sample, perRun, perRun * count, count,
          stockSeconds / vouchSeconds, vouch.size());
    }
  }

  private static Set<String> ignoreIp(Fail2banServer fail2ban, String jail) {
    try (Fail2banClient client = fail2ban.client()) {
      return client.ignoreIp(jail).stream().map(IpEntry::text)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Daemon startVouch(Path conf, Path project, Path socket) throws Exception {
    Files.createDirectories(conf);
    Path log = conf.resolve("auth.log");
    Files.writeString(log, "");
    Files.writeString(conf.resolve("vouch.conf"), "[Definition]\ndbfile = state/vouch\n"
        + "socket = state/vouch.sock\nloglevel = WARNING\n[fail2ban]\nsocket = " + socket
        + "\nsync = on\n");
    Files.writeString(conf.resolve("jail.local"), "[vouch-allow]\nenabled = true\n"
        + "filter = sshd-success\nlogpath = " + log + "\nallowfor = vouch\n");
    VouchConf settings = VouchConf.read(conf, project);
    List<JailConfig> jails = new JailsReader(conf, settings.filterSearchPath(),
        settings.actionSearchPath()).read().stream().filter(JailDefinition::enabled)
        .map(JailConfig::of).toList();
    return Daemon.start(settings, jails, Daemon.Mode.LIVE, Clock.systemDefaultZone(),
        Clock.systemDefaultZone().getZone());
  }
}
