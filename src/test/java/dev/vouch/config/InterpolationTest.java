package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpolationTest {
  @TempDir Path temp;
  private ConfigDir dir;

  @BeforeEach
  void setUp() {
    dir = new ConfigDir(temp);
  }

  private MergedConfig read(String conf) {
    dir.write("jail.conf", conf);
    return new ConfigFiles().read(temp.resolve("jail"));
  }

  private static String get(MergedConfig config, String section, String key) {
    return config.get(section, key).orElseThrow().toString();
  }

  @Test
  void readsTheSectionThenDefault() {
    MergedConfig config = read("""
        [DEFAULT]
        logdir = /var/log
        file = default.log
        logpath = %(logdir)s/%(file)s
        [sshd]
        file = auth.log
        """);

    assertEquals("/var/log/auth.log", get(config, "sshd", "logpath"));
    assertEquals("/var/log/default.log", get(config, MergedConfig.DEFAULT, "logpath"));
  }

  @Test
  void doublePercentIsALiteralPercent() {
    MergedConfig config = read("[x]\ndatepattern = ^%%Y-%%m-%%d\n");

    assertEquals("^%Y-%m-%d", get(config, "x", "datepattern"));
  }

  @Test
  void nameIsTheSectionBeingRead() {
    MergedConfig config = read("""
        [DEFAULT]
        mode = normal
        filter = %(__name__)s[mode=%(mode)s]
        [postfix]
        mode = more
        """);

    assertEquals("postfix[mode=more]", get(config, "postfix", "filter"));
  }

  @Test
  void readsOtherSectionsDefaultAndKnownValues() {
    dir.write("jail.conf", """
        [DEFAULT]
        port = 0:65535
        [lt_file]
        prefix = file %(word)s
        [sshd]
        word = sshd
        failregex = ^one$
        """);
    dir.write("jail.local", """
        [sshd]
        port = 22
        all = %(default/port)s
        prefix = %(lt_file/prefix)s
        missing = %(lt_file/port)s
        failregex = %(known/failregex)s
                    ^two$
        """);
    MergedConfig config = new ConfigFiles().read(temp.resolve("jail"));

    assertEquals("0:65535", get(config, "sshd", "all"));
    assertEquals("file sshd", get(config, "sshd", "prefix"),
        "another section's value is interpolated where it is used");
    assertEquals("0:65535", get(config, "sshd", "missing"), "falls back to DEFAULT");
    assertEquals("^one$\n^two$", get(config, "sshd", "failregex"));
  }

  @Test
  void varsComeBeforeTheSection() {
    MergedConfig config = read("[Definition]\nport = 1\nrule = --dport %(port)s\n");

    Text port = Text.of("2222", new Origin(dir.path("jail.conf"), 1));
    assertEquals("--dport 2222",
        config.get("Definition", "rule", Map.of("PORT", port)).orElseThrow().toString());
  }

  @Test
  void aMissingReferenceNamesTheLineWhereItIsWritten() {
    MergedConfig config = read("""
        [DEFAULT]
        action = %(banaction)s[port=%(port)s]
                 mail[logpath=%(logpath)s]
        banaction = iptables
        [sshd]
        port = ssh
        """);

    ConfigException error =
        assertThrows(ConfigException.class, () -> config.get("sshd", "action"));

    assertEquals(dir.at("jail.conf", 3) + ": [sshd] action: %(logpath)s refers to an option that"
        + " is not set in [sshd] or [DEFAULT]", error.getMessage());
  }

  @Test
  void aLoopIsAnError() {
    MergedConfig config = read("[x]\na = %(b)s\nb = <%(c)s>\nc = %(a)s\n");

    ConfigException error = assertThrows(ConfigException.class, () -> config.get("x", "a"));

    assertEquals(dir.at("jail.conf", 4) + ": [x] a: %(a)s refers back to itself (a -> b -> c -> a)",
        error.getMessage());
  }

  @Test
  void aLonePercentIsAnError() {
    MergedConfig config = read("[x]\ndatepattern = %Y-%m-%d\n");

    ConfigException error =
        assertThrows(ConfigException.class, () -> config.get("x", "datepattern"));

    assertEquals(dir.at("jail.conf", 2) + ": [x] datepattern: '%' must be followed by '%' or"
        + " '(name)s'; write %% for a literal %. Found: %Y-%m-%d", error.getMessage());
  }

  @Test
  void sectionReferencesResolveOnlyInLowerCaseAsInFail2ban() {
    MergedConfig config = read("[Init]\nx = 1\n[Definition]\ny = %(Init/x)s\n");

    ConfigException error =
        assertThrows(ConfigException.class, () -> config.get("Definition", "y"));

    assertEquals(dir.at("jail.conf", 4) + ": [Definition] y: %(Init/x)s refers to an option that"
        + " is not set in [Definition] or [DEFAULT]; fail2ban reads section/option references"
        + " only in lower case", error.getMessage());
  }

  @Test
  void referencesNestedDeeperThanTenAreRefusedAsByFail2ban() {
    StringBuilder conf = new StringBuilder("[x]\nv0 = end\n");
    for (int i = 1; i <= 11; i++) {
      conf.append("v").append(i).append(" = %(v").append(i - 1).append(")s\n");
    }
    MergedConfig config = read(conf.toString());

    assertEquals("end", get(config, "x", "v10"));
    assertThrows(ConfigException.class, () -> config.get("x", "v11"));
  }
}
