package dev.vouch.jail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vouch.net.Cidr;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BanJailTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private final BanJail jail = new BanJail(new BanJailSettings("sshd", 3, Duration.ofMinutes(10),
      Optional.of(Duration.ofHours(1)), BanTimeIncrement.OFF), JailActions.NONE, NOW);

  private void ban(String network) {
    jail.addBan(new Ban(Cidr.parse(network), "sshd", NOW, Optional.of(NOW.plusSeconds(3600)), 1,
        "test"));
  }

  /** The networks of the bans overlapping {@code network}, sorted as text. */
  private List<String> overlapping(String network) {
    return jail.bansOverlapping(Cidr.parse(network)).stream()
        .map(ban -> ban.network().toString()).sorted().toList();
  }

  @Test
  void findsTheBansAroundAndInsideANetworkAndNoOthers() {
    for (String network : List.of("203.0.113.7", "203.0.113.0/24", "203.0.114.1", "10.0.0.0/8",
        "2001:db8::1", "2001:db8::/32", "2001:db8:0:1::5", "2001:db9::1")) {
      ban(network);
    }
    assertEquals(List.of("203.0.113.0/24", "203.0.113.7"), overlapping("203.0.113.7"));
    assertEquals(List.of("203.0.113.0/24"), overlapping("203.0.113.8"));
    assertEquals(List.of("203.0.113.0/24", "203.0.113.7"), overlapping("203.0.113.0/25"));
    assertEquals(List.of("203.0.113.0/24", "203.0.113.7", "203.0.114.1"),
        overlapping("203.0.112.0/22"));
    assertEquals(List.of("10.0.0.0/8"), overlapping("10.1.2.3"));
    assertEquals(List.of(), overlapping("192.0.2.1"));
    assertEquals(List.of("2001:db8:0:1::5", "2001:db8::/32"), overlapping("2001:db8:0:1::/64"));
    assertEquals(List.of("2001:db8::/32", "2001:db8::1"), overlapping("2001:db8::/64"));
    assertEquals(List.of("2001:db9::1"), overlapping("2001:db9::/64"));
    assertEquals(List.of("10.0.0.0/8", "203.0.113.0/24", "203.0.113.7", "203.0.114.1"),
        overlapping("0.0.0.0/0"));
    assertEquals(List.of("2001:db8:0:1::5", "2001:db8::/32", "2001:db8::1", "2001:db9::1"),
        overlapping("::/0"));

    jail.removeBan(Cidr.parse("203.0.113.0/24"));
    assertEquals(List.of("203.0.113.7"), overlapping("203.0.113.7"));
    assertEquals(List.of(), overlapping("203.0.113.8"));
    assertEquals(List.of("203.0.113.7"), jail.expire(NOW.plusSeconds(3600)).stream()
        .map(ban -> ban.network().toString()).filter(n -> n.equals("203.0.113.7")).toList());
    assertEquals(List.of(), overlapping("203.0.113.7"));
  }
}
