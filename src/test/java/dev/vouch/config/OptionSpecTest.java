package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionSpecTest {

  @Test
  void readsANameAlone() {
    assertEquals(new OptionSpec("sshd", Map.of()), OptionSpec.parse("sshd"));
  }

  @Test
  void readsBareAndQuotedValues() {
    OptionSpec spec = OptionSpec.parse(
        "iptables-multiport[name=SSH, port=\"22, 2222\", protocol='tcp',  chain= INPUT ]");

    assertEquals("iptables-multiport", spec.name());
    assertEquals(Map.of("name", "SSH", "port", "22, 2222", "protocol", "tcp", "chain", "INPUT"),
        spec.options());
  }

  @Test
  void quotesKeepCommas() {
    assertEquals(Map.of("target", "/srv/x, y"),
        OptionSpec.parse("dummy[target=\"/srv/x, y\"]").options());
  }

  @Test
  void readsChainedGroups() {
    assertEquals(Map.of("a", "1", "b", "2"), OptionSpec.parse("act[a=1][b=2]").options());
  }

  @Test
  void keepsTagsAndBracketsInQuotes() {
    assertEquals(Map.of("p", "<known/p>|three"),
        OptionSpec.parse("x[p=\"<known/p>|three\"]").options());
    assertEquals(Map.of("logpath", "/var/log/[ab].log"),
        OptionSpec.parse("mail[logpath='/var/log/[ab].log']").options());
  }

  @Test
  void rejectsMalformedArguments() {
    ConfigException afterOption =
        assertThrows(ConfigException.class, () -> OptionSpec.parse("x[a=\"1\"b, c=2]"));
    assertEquals("unexpected syntax at 5 after option 'a' in x[a=\"1\"b, c=2]: b, c=2. Expected"
        + " key=value, with quotes around a value that holds , or ]", afterOption.getMessage());

    ConfigException noOption =
        assertThrows(ConfigException.class, () -> OptionSpec.parse("x[=1]"));
    assertEquals("expected key=value at 0 in x[=1]. Found: =1", noOption.getMessage());

    // as in fail2ban: no space before '=', nothing between a closing quote and the comma
    assertThrows(ConfigException.class, () -> OptionSpec.parse("x[a = 1]"));
    assertThrows(ConfigException.class, () -> OptionSpec.parse("x[a='1' , b=2]"));
    assertThrows(ConfigException.class, () -> OptionSpec.parse("x[a=1"));
    assertThrows(ConfigException.class, () -> OptionSpec.parse("[a=1]"));
  }

  @Test
  void splitsAListAtLinesAndSpacesOutsideBrackets() {
    List<OptionSpec> specs = OptionSpec.parseList("""
        iptables[port="22, 2222", name=ssh]
        sendmail-whois[dest=root, sender="fail2ban <root@host>"] dummy
        """);

    assertEquals(List.of(
        new OptionSpec("iptables", Map.of("port", "22, 2222", "name", "ssh")),
        new OptionSpec("sendmail-whois", Map.of("dest", "root", "sender", "fail2ban <root@host>")),
        new OptionSpec("dummy", Map.of())), specs);
  }

  @Test
  void anEmptyListHasNoSpecs() {
    assertEquals(List.of(), OptionSpec.parseList("\n  \n"));
  }
}
