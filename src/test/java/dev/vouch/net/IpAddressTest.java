package dev.vouch.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
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
}
