package dev.vouch.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {
  @ParameterizedTest
  @CsvSource({
      "192.0.2.1, 192.0.2.1",
      "0.0.0.0, 0.0.0.0",
      "0.1.2.3, 0.1.2.3",
      "10.0.0.10, 10.0.0.10",
      "255.255.255.255, 255.255.255.255",
      "[2001:DB8::1], 2001:db8::1",
      "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
      "::ffff:192.0.2.1, 192.0.2.1",
      "64:ff9b::192.0.2.1, 64:ff9b::c000:201",
  })
  void parsesAddressesToTheirCanonicalText(String text, String canonical) {
    assertEquals(canonical, IpAddress.parse(text).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"999.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3",
      "1.2.3.256", "1.2.3.4/24", "::g", "1:2:3:4:5:6:7:8:9", "1::2::3", "fe80::1%eth0", "",
      "[]", "12345::"})
  void refusesWhatIsNotAnAddress(String text) {
    assertEquals(Optional.empty(), IpAddress.tryParse(text));
    AddressFormatException error =
        assertThrows(AddressFormatException.class, () -> IpAddress.parse(text));
    assertTrue(error.getMessage().startsWith("not an IP address: " + text), error.getMessage());
  }

  /** glibc's inet_pton (fail2ban), Python's ipaddress and the JDK refuse these too. */
  @ParameterizedTest
  @ValueSource(strings = {"010.1.1.1", "1.02.3.4", "1.2.3.00", "192.168.001.1",
      "::ffff:010.1.1.1"})
  void refusesOctetsWithALeadingZeroAndSaysWhy(String text) {
    assertEquals(Optional.empty(), IpAddress.tryParse(text));
    AddressFormatException error =
        assertThrows(AddressFormatException.class, () -> IpAddress.parse(text));
    assertTrue(error.getMessage().contains("leading zero"), error.getMessage());
  }
  /**
   * The dotted-quad path reads a plain dotted quad as parse does, refuses the rest (other forms
   * are left to parse), and takes only texts that are already canonical.
   */
  @Test
  void dottedQuadsAreReadAsParseReadsThem() {
    java.util.Random random = new java.util.Random(23);
    String alphabet = "0123456789012345678901234567890123456789....:[x ";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(17); n > 0; n--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      check(text.toString());
    }
    for (String text : new String[] {"0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3.04",
        "01.2.3.4", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "192.0.2.1", "1.2.3.4.5",
        "1234.1.1.1", "[1.2.3.4]", "::ffff:1.2.3.4", ""}) {
      check(text);
    }
  }

  private static void check(String text) {
    // Plain dotted quads only: not an IPv6 form of one, nor one in brackets.
    IpAddress parsed = text.contains(":") || text.startsWith("[") ? null
        : IpAddress.tryParse(text).orElse(null);
    IpAddress quad = IpAddress.parseDottedQuad(text);
    assertEquals(parsed, quad, text);
    if (quad != null) {
      assertEquals(text, quad.toString(), "canonical");
    }
  }
}
