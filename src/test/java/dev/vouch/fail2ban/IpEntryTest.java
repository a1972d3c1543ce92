package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vouch.net.Cidr;
import dev.vouch.net.IpAddress;
import org.junit.jupiter.api.Test;

class IpEntryTest {

  @Test
  void parsesAddressesNetworksAndNames() {
    assertEquals(new IpEntry.Address(IpAddress.parse("192.0.2.7")), IpEntry.parse("192.0.2.7"));
    assertEquals(new IpEntry.Network(Cidr.parse("10.0.0.0/8")), IpEntry.parse("10.0.0.0/8"));
    assertEquals(new IpEntry.Network(Cidr.parse("2001:db8::/32")), IpEntry.parse("2001:db8::/32"));
    assertEquals(new IpEntry.Name("mail.example.org"), IpEntry.parse("mail.example.org"));
    assertEquals(new IpEntry.Name("10.0.0.0/abc"), IpEntry.parse("10.0.0.0/abc"));
  }

  @Test
  void spellsEntriesAsFail2banPrintsThem() {
    // Checked against fail2ban 1.0.2: addignoreip of the left side lists the right side.
    assertEquals("2001:db8::1", IpEntry.parse("2001:DB8::1").text());
    assertEquals("10.0.0.0/8", IpEntry.parse("10.1.2.3/8").text());
    assertEquals("10.0.0.0/8", IpEntry.parse("10.1.2.3/255.0.0.0").text());
    assertEquals("192.0.2.1", IpEntry.parse("192.0.2.1/32").text());
    assertEquals("192.0.2.9", IpEntry.parse("::ffff:192.0.2.9").text());
    assertEquals("::1.2.3.4", IpEntry.parse("::0102:0304").text());
    assertEquals("::1.2.0.0/112", IpEntry.parse("::1.2.3.4/112").text());
    assertEquals("::2", IpEntry.parse("::2").text());
    assertEquals("::1", IpEntry.parse("::1").text());
    assertEquals("2001:db8:0:1:1:1:1:1", IpEntry.parse("2001:db8:0:1:1:1:1:1").text());
  }

  @Test
  void aNetworkOfOneAddressIsAnAddress() {
    assertInstanceOf(IpEntry.Address.class, IpEntry.of(Cidr.parse("2001:db8::1/128")));
    assertThrows(IllegalArgumentException.class,
        () -> new IpEntry.Network(Cidr.parse("192.0.2.1/32")));
  }

  @Test
  void refusesTheWholeAddressSpace() {
    Fail2banRequestException error = assertThrows(Fail2banRequestException.class,
        () -> IpEntry.of(Cidr.parse("0.0.0.0/0")));

    assertTrue(error.getMessage().contains("lists a /0 network as a bare address"),
        error.getMessage());
    assertInstanceOf(IpEntry.Name.class, IpEntry.parse("::/0"));
  }

  @Test
  void acceptsOnlyHostNamesAsNames() {
    assertEquals("mail.example.org", IpEntry.hostName("mail.example.org").text());
    assertEquals("host_1.example.", IpEntry.hostName("host_1.example.").text());
    for (String bad : new String[] {"", "a b", "1.2.3.4", "10.0.0.0/8", "-x.example", "a..b",
        "x".repeat(64) + ".example", "bad<F2B_END_COMMAND>", "123"}) {
      Fail2banRequestException error =
          assertThrows(Fail2banRequestException.class, () -> IpEntry.hostName(bad), bad);
      assertTrue(error.getMessage().startsWith("not a DNS host name: '"), error.getMessage());
    }
  }
}
