package dev.vouch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The firewall presets of actions/, run by vouch's own action runner against a real firewall.
 * For each, a child JVM inside a fresh network namespace builds the jail's action worker as
 * {@code vouch run} does, from a jail.local naming the preset, and goes through its lifecycle:
 * start (nothing happens: the presets start on demand), ban two IPv4 addresses and one IPv6
 * address, unban one of each, stop. After each step the test reads the jail's sets or chains in
 * the namespace; after stop, the namespace must hold exactly what it held before, including
 * rules of someone else that were there first. The host's rules are never touched: the
 * namespace is deleted after each test.
 *
 * <p>Needs root (CI runs as root, .ci/run); without it the tests fail and say so.
 */
class FirewallActionsIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();

  /** Lists the addresses a preset holds for one family, run inside the namespace. */
  interface Lister {
    Set<String> list(NetworkNamespace namespace, String jail, boolean ipv6)
        throws IOException, InterruptedException;
  }

  /**
   * A preset, the action line a jail gives it, and how to read what it did.
   *
   * @param rules a command (with JAIL for the jail's name) that prints the rules that send
   *     packets to the jail's bans, and {@code rule} what one of them contains
   */
  record Preset(String name, String action, Lister banned, String rules, String rule) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Preset> presets() {
    return Stream.of(
        new Preset("nftables", "nftables[port=\"22,2222\", lockfile=\"LOCK\"]",
            FirewallActionsIT::nftSet, "nft list chain inet vouch JAIL-FAMILY",
            "@JAIL-FAMILY drop"),
        new Preset("iptables", "iptables[port=\"22,2222\"]", FirewallActionsIT::chain,
            "IPTABLES -S INPUT", "-m multiport --dports 22,2222 -j vouch-JAIL"),
        new Preset("iptables-ipset", "iptables-ipset[port=\"22,2222\"]",
            FirewallActionsIT::ipset, "IPTABLES -S INPUT", "--match-set SET src -j DROP"),
        new Preset("iptables-docker", "iptables-docker[port=\"8080,8443\"]",
            FirewallActionsIT::chain, "IPTABLES -S DOCKER-USER",
            "--ctorigdstport 8443 -j vouch-JAIL"));
  }

  @TempDir Path dir;
  private NetworkNamespace namespace;
  private String jail;

  @BeforeAll
  static void machine() throws Exception {
    NetworkNamespace.requireRoot();
    NetworkNamespace.requirePrograms("ip", "nft", "iptables", "ip6tables", "ipset", "flock");
  }

  @BeforeEach
  void namespace() throws Exception {
    namespace = NetworkNamespace.create();
    // A jail name of the namespace's own, so that nothing of it could be mistaken for the host's.
    jail = "j" + namespace.name.substring(namespace.name.length() - 8);
    NetworkNamespace.Result seeded = namespace.shell(String.join(" && ",
        "nft add table inet other",
        "nft add chain inet other c '{ type filter hook input priority 0; }'",
        "nft add set inet other s '{ type ipv4_addr; }'",
        "nft add element inet other s '{ 198.51.100.1 }'",
        "iptables -N OTHER", "iptables -A INPUT -j OTHER",
        "iptables -A OTHER -s 198.51.100.1 -j DROP",
        "ip6tables -N OTHER", "ip6tables -A INPUT -j OTHER",
        "ipset create other hash:ip", "ipset add other 198.51.100.1"));
    assertTrue(seeded.ok(), "seeding the namespace: " + seeded.output());
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (namespace != null) {
      namespace.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void bansAndUnbansInsideTheNamespaceAndLeavesItAsItWas(Preset preset) throws Exception {
    writeConfig(preset.action().replace("LOCK", dir.resolve("nft.lock").toString()));
    String before = namespace.snapshot();
    try (LifecycleProcess child = LifecycleProcess.start(namespace, dir.resolve("conf"), PROJECT,
        dir.resolve("child.log"))) {
      assertEquals(before, namespace.snapshot(), "nothing may change before the first ban"
          + " (the preset starts on demand)" + child.log());

      child.send("ban 203.0.113.7");
      child.send("ban 203.0.113.8");
      child.send("ban 2001:db8::7");
      assertEquals(Set.of("203.0.113.7", "203.0.113.8"), banned(preset, false), child.log());
      assertEquals(Set.of("2001:db8::7"), banned(preset, true), child.log());
      assertRules(preset, false);
      assertRules(preset, true);
      assertFalse(NetworkNamespace.host("sh", "-c", command(preset.rules(), false)).output()
          .contains(fill(preset.rule(), false)), "the host got a rule of the namespace's jail");

      child.send("unban 203.0.113.8");
      child.send("unban 2001:db8::7");
      assertEquals(Set.of("203.0.113.7"), banned(preset, false), child.log());
      assertEquals(Set.of(), banned(preset, true), child.log());

      child.send("stop");
      assertEquals(0, child.exitCode(), child.log());
      assertEquals(before, namespace.snapshot(), "after stop the namespace must be as it was"
          + child.log());
    }
  }

  private void writeConfig(String action) throws IOException {
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf.resolve("filter.d"));
    Files.writeString(conf.resolve("vouch.conf"), "[Definition]\ndbfile = state/vouch\n"
        + "socket = state/vouch.sock\n[fail2ban]\nsync = off\n", StandardCharsets.UTF_8);
    Files.writeString(conf.resolve("filter.d/nothing.conf"),
        "[Definition]\nfailregex = ^never <HOST>$\n", StandardCharsets.UTF_8);
    Files.writeString(conf.resolve("empty.log"), "");
    Files.writeString(conf.resolve("jail.local"), "[" + jail + "]\nenabled = true\n"
        + "filter = nothing\nlogpath = %(fail2ban_confpath)s/empty.log\nmaxretry = 3\n"
        + "bantime = 1h\naction = " + action + "\n", StandardCharsets.UTF_8);
  }

  private Set<String> banned(Preset preset, boolean ipv6) throws Exception {
    return preset.banned().list(namespace, jail, ipv6);
  }

  private void assertRules(Preset preset, boolean ipv6) throws Exception {
    NetworkNamespace.Result rules = namespace.shell(command(preset.rules(), ipv6));
    assertTrue(rules.output().contains(fill(preset.rule(), ipv6)), (ipv6 ? "IPv6" : "IPv4")
        + ": expected a rule with '" + fill(preset.rule(), ipv6) + "' in:\n" + rules.output());
  }

  private String command(String template, boolean ipv6) {
    return fill(template, ipv6).replace("IPTABLES", ipv6 ? "ip6tables" : "iptables");
  }

  private String fill(String template, boolean ipv6) {
    return template.replace("SET", "vouch-" + jail + (ipv6 ? "-v6" : ""))
        .replace("FAMILY", ipv6 ? "v6" : "v4").replace("JAIL", jail);
  }

  private static Set<String> nftSet(NetworkNamespace namespace, String jail, boolean ipv6)
      throws IOException, InterruptedException {
    NetworkNamespace.Result listed = namespace.run("nft", "-j", "list", "set", "inet", "vouch",
        jail + (ipv6 ? "-v6" : "-v4"));
    assertTrue(listed.ok(), listed.output());
    Set<String> elements = new TreeSet<>();
    for (JsonElement item : JsonParser.parseString(listed.output()).getAsJsonObject()
        .getAsJsonArray("nftables")) {
      JsonElement set = item.getAsJsonObject().get("set");
      if (set != null && set.getAsJsonObject().has("elem")) {
        set.getAsJsonObject().getAsJsonArray("elem").forEach(e -> elements.add(e.getAsString()));
      }
    }
    return elements;
  }

  private static Set<String> chain(NetworkNamespace namespace, String jail, boolean ipv6)
      throws IOException, InterruptedException {
    return matches(namespace.run(ipv6 ? "ip6tables" : "iptables", "-S", "vouch-" + jail),
        Pattern.compile("^-A vouch-" + jail + " -s (\\S+)/(?:32|128) -j DROP$"));
  }

  private static Set<String> ipset(NetworkNamespace namespace, String jail, boolean ipv6)
      throws IOException, InterruptedException {
    String set = "vouch-" + jail + (ipv6 ? "-v6" : "");
    return matches(namespace.run("ipset", "save", set),
        Pattern.compile("^add " + set + " (\\S+)$"));
  }

  private static Set<String> matches(NetworkNamespace.Result listed, Pattern line) {
    assertTrue(listed.ok(), listed.output());
    Set<String> found = new TreeSet<>();
    for (String text : listed.output().split("\n")) {
      Matcher matcher = line.matcher(text.strip());
      if (matcher.matches()) {
        found.add(matcher.group(1));
      }
    }
    return found;
  }
}
