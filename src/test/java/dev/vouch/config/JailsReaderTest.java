package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JailsReaderTest {
  @TempDir Path temp;
  private ConfigDir dir;

  @BeforeEach
  void setUp() {
    dir = new ConfigDir(temp);
    dir.write("filter.d/auth.conf", """
        [Definition]
        failregex = ^auth failure from <HOST>$
                    ^auth refused for <HOST>$
        """);
    dir.write("filter.d/auth-success.conf", "[Definition]\nfailregex = ^login ok from <HOST>$\n");
    dir.write("action.d/log.conf", """
        [Definition]
        actionban = echo <ip> >> <path>
        [Init]
        path = /var/log/vouch-<name>.log
        """);
  }

  private List<JailDefinition> read() {
    return JailsReader.ofFail2ban(temp).read();
  }

  private JailDefinition jail(String name) {
    return read().stream().filter(jail -> jail.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> texts(List<Value> values) {
    return values.stream().map(Value::text).toList();
  }

  @Test
  void readsEveryJailInFileOrderAndResolvesOnlyEnabledOnes() {
    dir.write("jail.conf", """
        [DEFAULT]
        logpath = /var/log/auth.log
        [first]
        enabled = true
        filter = auth
        [broken-but-off]
        filter = no-such-filter
        action = no-such-action
        """);
    dir.write("jail.local", "[second]\nenabled = yes\nfilter = auth\n[first]\nmaxretry = 3\n");

    List<JailDefinition> jails = read();

    assertEquals(List.of("first", "broken-but-off", "second"),
        jails.stream().map(JailDefinition::name).toList());
    assertTrue(jails.get(0).enabled());
    assertEquals(Optional.of("auth"), jails.get(0).filter().map(FilterDefinition::name));
    assertFalse(jails.get(1).enabled());
    assertEquals(Optional.empty(), jails.get(1).filter());
    assertEquals(List.of(), jails.get(1).actions());
    assertEquals("no-such-filter", jails.get(1).option("filter").orElseThrow().text());
  }

  @Test
  void keepsEveryOptionWithTheLineOfItsKeyIncludingVouchKeys() {
    dir.write("jail.conf", """
        [DEFAULT]
        bantime = 10m
        destemail = root@localhost
        action_mw = mail[dest=%(destemail)s, logpath=%(logpath)s]

        [dovecot-allow]
        enabled   = true
        filter    = auth-success
        logpath   = /var/log/mail.log
        allowfor  = dovecot postfix-sasl
        allowtime = 30d
        backend   = systemd
        """);

    JailDefinition jail = jail("dovecot-allow");

    assertEquals(new Value("dovecot postfix-sasl", new Origin(dir.path("jail.conf"), 10)),
        jail.option("allowfor").orElseThrow());
    assertEquals(new Value("30d", new Origin(dir.path("jail.conf"), 11)),
        jail.option("allowtime").orElseThrow());
    assertEquals(new Value("10m", new Origin(dir.path("jail.conf"), 2)),
        jail.option("bantime").orElseThrow());
    assertEquals("mail[dest=root@localhost, logpath=/var/log/mail.log]",
        jail.option("action_mw").orElseThrow().text());
    assertEquals("systemd", jail.backend());
    assertEquals(List.of(), jail.logpaths(), "a systemd jail reads no log files");
  }

  @Test
  void leavesOutDefaultMacrosTheJailCannotFill() {
    dir.write("jail.conf", """
        [DEFAULT]
        action_mwl = mail[logpath=%(logpath)s]
        [journal]
        enabled = true
        filter = auth
        backend = systemd
        """);

    JailDefinition jail = jail("journal");

    assertEquals(Optional.empty(), jail.option("action_mwl"));
    assertEquals("auth", jail.option("filter").orElseThrow().text());
  }

  @Test
  void theJailsFailregexReplacesTheFiltersAndKnownExtendsIt() {
    Path conf = dir.write("jail.conf", """
        [DEFAULT]
        logpath = /var/log/auth.log
        [replaced]
        enabled = true
        filter = auth
        failregex = ^only this <HOST>$
        [extended]
        enabled = true
        filter = auth
        failregex = %(known/failregex)s
                    ^and this <HOST>$
        """);

    assertEquals(List.of("^only this <HOST>$"),
        texts(jail("replaced").filter().orElseThrow().failregex()));
    Path filter = dir.path("filter.d/auth.conf");
    assertEquals(List.of(
            new Value("^auth failure from <HOST>$", new Origin(filter, 2)),
            new Value("^auth refused for <HOST>$", new Origin(filter, 3)),
            new Value("^and this <HOST>$", new Origin(conf, 11))),
        jail("extended").filter().orElseThrow().failregex());
  }

  @Test
  void passesJailOptionsToFilterAndActions() {
    dir.write("filter.d/modes.conf", """
        [Definition]
        mode = normal
        normal = ^normal <HOST>$
        aggressive = <normal>
                     ^aggressive <HOST>$
        failregex = <<mode>>
        """);
    dir.write("jail.conf", """
        [DEFAULT]
        mode = normal
        filter = %(__name__)s[mode=%(mode)s]
        action = log[name=%(__name__)s-log]
        logpath = /var/log/auth.log
        agent = Fail2Ban/%(fail2ban_version)s in %(fail2ban_confpath)s
        [modes]
        enabled = true
        mode = aggressive
        """);

    JailDefinition jail = jail("modes");

    assertEquals(List.of("^normal <HOST>$", "^aggressive <HOST>$"),
        texts(jail.filter().orElseThrow().failregex()));
    ActionDefinition action = jail.actions().get(0);
    assertEquals("log-log", action.actname());
    assertEquals("echo <ip> >> /var/log/vouch-modes-log.log", action.properties().get("actionban"));
    assertEquals("Fail2Ban/1.0.2 in " + temp, jail.option("agent").orElseThrow().text());
  }

  @Test
  void readsLogPathsWithHeadOrTail() {
    Path conf = dir.write("jail.conf", """
        [sshd]
        enabled = true
        filter = auth
        logpath = /var/log/auth.log
                  /var/log/secure* tail
                  /var/log/old.log HEAD
        """);

    assertEquals(List.of(
            new LogPath("/var/log/auth.log", false, new Origin(conf, 4)),
            new LogPath("/var/log/secure*", true, new Origin(conf, 5)),
            new LogPath("/var/log/old.log", false, new Origin(conf, 6))),
        jail("sshd").logpaths());
  }

  @Test
  void aJailWithoutFilterFileMayWriteItsOwnFailregex() {
    dir.write("jail.conf", """
        [inline]
        enabled = true
        logpath = /var/log/app.log
        failregex = ^bad login from <HOST>$
        maxlines = 2
        """);

    FilterDefinition filter = jail("inline").filter().orElseThrow();

    assertEquals(List.of("^bad login from <HOST>$"), texts(filter.failregex()));
    assertEquals(2, filter.maxlines());
  }

  @Test
  void errorsNameTheLineAndWhatWasExpected() {
    dir.write("jail.conf", "[DEFAULT]\nlogpath = /var/log/auth.log\n");
    assertError("[a]\nenabled = true\nfilter = nope\n", 3,
        "no filter named 'nope': expected nope.conf or nope.local in " + dir.path("filter.d"));
    assertError("[a]\nenabled = true\nfilter = auth\nmaxretry = three\n", 4,
        "[a] maxretry: expected a whole number. Found: three");
    assertError("[a]\nenabled = true\nfilter = auth\nbantime = 10x\n", 4,
        "[a] bantime: expected a duration like 10m, 1h30m, 2d or -1. Found: 10x");
    assertError("[a]\nenabled = true\nfilter = auth\nallowfor = %(jails)s\n", 4,
        "[a] allowfor: %(jails)s refers to an option that is not set in [a] or [DEFAULT]");
    assertError("[a]\nenabled = true\nfilter = auth[mode=\"x\"y]\n", 3,
        "[a] filter: unexpected syntax at 8 after option 'mode' in auth[mode=\"x\"y]: y."
            + " Expected key=value, with quotes around a value that holds , or ]");
    assertError("[a]\nenabled = true\nfilter = auth\nlogpath = /var/log/my file.log\n", 4,
        "[a] logpath: expected PATH, PATH head or PATH tail (a path with spaces cannot be read)."
            + " Found: /var/log/my file.log");
    assertError("[a]\nenabled = true\nfilter = auth\naction = log\n  smtp.py\n", 4,
        "action smtp.py is a Python action, which only fail2ban can run. Expected an action.d"
            + " file NAME.conf");
  }

  private void assertError(String local, int line, String message) {
    dir.write("jail.local", local);
    ConfigException error = assertThrows(ConfigException.class, this::read);
    assertEquals(dir.at("jail.local", line) + ": " + message, error.getMessage());
  }
}
