package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionReaderTest {
  @TempDir Path temp;
  private ConfigDir dir;
  private ActionReader reader;

  @BeforeEach
  void setUp() {
    dir = new ConfigDir(temp);
    dir.write("action.d/fw.conf", """
        [Definition]
        actionstart = <fw> -N f2b-<name>
                      <fw> -I <chain> -p <protocol> --dport <port> -j f2b-<name>
        actionban = <fw> -I f2b-<name> -s <ip> -j <blocktype>
        actionunban = <fw> -D f2b-<name> -s <ip> -j <blocktype>
        norestored = yes
        actionstart_on_demand = off

        [Init]
        fw = iptables
        chain = INPUT
        protocol = tcp
        port = ssh
        blocktype = REJECT
        timeout = 30

        [Init?family=inet6]
        fw = ip6tables
        blocktype = REJECT --reject-with icmp6-port-unreachable
        """);
    reader = new ActionReader(List.of(temp.resolve("action.d")));
  }

  @Test
  void substitutesStaticTagsAndKeepsDynamicAndPerFamilyOnes() {
    ActionDefinition action = reader.read("fw[port=\"22, 2222\"]", "sshd");

    assertEquals("<fw> -N f2b-sshd\n<fw> -I INPUT -p tcp --dport 22, 2222 -j f2b-sshd",
        action.properties().get("actionstart"));
    assertEquals("<fw> -I f2b-sshd -s <ip> -j <blocktype>", action.properties().get("actionban"));
    assertEquals(Map.of("family=inet6", Map.of(
            "fw", "ip6tables", "blocktype", "REJECT --reject-with icmp6-port-unreachable")),
        action.conditional());
  }

  @Test
  void listsCommandsThenTheOtherOptionsAsFail2banSendsThem() {
    ActionDefinition action = reader.read("fw[port=\"22, 2222\"]", "sshd");

    assertEquals(List.of("actionstart", "actionstart_on_demand", "actionban", "actionunban",
            "norestored", "port", "name", "actname", "fw", "chain", "protocol", "blocktype",
            "timeout"),
        List.copyOf(action.properties().keySet()));
    assertEquals("true", action.properties().get("norestored"));
    assertEquals("false", action.properties().get("actionstart_on_demand"));
    assertEquals("22, 2222", action.properties().get("port"));
    assertEquals("30", action.properties().get("timeout"));
    assertEquals(dir.path("action.d/fw.conf"), action.file());
  }

  @Test
  void nameDefaultsToTheJailAndActnameToTheFileName() {
    assertEquals("fw", reader.read("fw", "sshd").actname());
    assertEquals("sshd", reader.read("fw", "sshd").properties().get("name"));
    assertEquals("fw-ipv6", reader.read("fw[name=sshd-ipv6]", "sshd").actname());
    assertEquals("fw-other", reader.read("fw[name=other]", "sshd").actname());
    assertEquals("second", reader.read("fw[actname=second]", "sshd").actname());
  }

  @Test
  void anArgumentCanExtendTheInitValueItReplaces() {
    ActionDefinition action = reader.read("fw[chain=\"<known/chain>-custom\"]", "sshd");

    assertEquals("<fw> -N f2b-sshd\n<fw> -I INPUT-custom -p tcp --dport ssh -j f2b-sshd",
        action.properties().get("actionstart"));
    assertEquals("<known/chain>-custom", action.properties().get("chain"),
        "options other than commands stay as written, as fail2ban sends them");
  }

  @Test
  void tagsFilledPerBanStay() {
    dir.write("action.d/mail.conf", """
        [Definition]
        actionban = mail -s "<name>: <ip> banned for <bantime>" <dest> <<< "<matches> <F-USER>"
        [Init]
        dest = root
        bantime = 600
        """);

    ActionDefinition action = reader.read("mail", "postfix");

    assertEquals("mail -s \"postfix: <ip> banned for <bantime>\" root <<< \"<matches> <F-USER>\"",
        action.properties().get("actionban"));
  }

  @Test
  void refusesPythonActions() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> reader.read(OptionSpec.parse("smtp.py[dest=root]"), "sshd", Map.of(),
            new Origin(dir.path("jail.local"), 4)));

    assertEquals(dir.at("jail.local", 4) + ": action smtp.py is a Python action, which only"
        + " fail2ban can run. Expected an action.d file NAME.conf", error.getMessage());
  }

  @Test
  void aMissingActionNamesWhereItIsUsed() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> reader.read(OptionSpec.parse("nope"), "sshd", Map.of(),
            new Origin(dir.path("jail.local"), 9)));

    assertEquals(dir.at("jail.local", 9) + ": no action named 'nope': expected nope.conf or"
        + " nope.local in " + dir.path("action.d"), error.getMessage());
  }
}
