package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
  @TempDir Path temp;
  private ConfigDir dir;

  @BeforeEach
  void setUp() {
    dir = new ConfigDir(temp);
  }

  private MergedConfig read(String name) {
    return new ConfigFiles().read(temp.resolve(name));
  }

  private static String get(MergedConfig config, String section, String key) {
    return config.get(section, key).orElseThrow().toString();
  }

  @Test
  void laterFilesOfTheOverlayWin() {
    dir.write("jail.conf", "[x]\nv = 1\n");
    dir.write("jail.d/a.conf", "[x]\nv = 2\n");
    dir.write("jail.local", "[x]\nv = 3\n");
    dir.write("jail.d/b.local", "[x]\nv = 4\n");

    assertEquals("4", get(read("jail"), "x", "v"));
  }

  @Test
  void readsTheOverlayInFail2bansOrder() {
    dir.write("jail.d/b.local", "[x]\n");
    dir.write("jail.d/a.local", "[x]\n");
    dir.write("jail.d/.hidden.conf", "[x]\n");
    dir.write("jail.d/z.conf", "[x]\n");
    dir.write("jail.d/a.conf", "[x]\n");
    dir.write("jail.local", "[x]\n");
    dir.write("jail.conf", "[x]\n");
    dir.write("jail.d/notes.txt", "not read\n");

    assertEquals(
        List.of(dir.path("jail.conf"), dir.path("jail.d/a.conf"), dir.path("jail.d/z.conf"),
            dir.path("jail.local"), dir.path("jail.d/a.local"), dir.path("jail.d/b.local")),
        read("jail").files());
  }

  @Test
  void includesBeforeAndAfterRelativeToTheIncludingFileWithTheirLocals() {
    dir.write("filter.d/sshd.conf", """
        [INCLUDES]
        before = common.conf
        after = extra.conf
        [Definition]
        v = sshd
        """);
    dir.write("filter.d/common.conf",
        "[INCLUDES]\nafter = common.local\n[Definition]\nv = common\n");
    dir.write("filter.d/common.local", "[Definition]\nv = common.local\n");
    dir.write("filter.d/extra.conf", "[Definition]\nw = extra\n");
    dir.write("filter.d/extra.local", "[Definition]\nw = extra.local\n");
    dir.write("filter.d/sshd.local", "[Definition]\nx = sshd.local\n");

    MergedConfig config = read("filter.d/sshd");

    // common.local comes twice: as the sibling of common.conf and as its "after" include
    assertEquals(
        List.of(dir.path("filter.d/common.conf"), dir.path("filter.d/common.local"),
            dir.path("filter.d/common.local"), dir.path("filter.d/sshd.conf"),
            dir.path("filter.d/extra.conf"),
            dir.path("filter.d/extra.local"), dir.path("filter.d/sshd.local")),
        config.files());
    assertEquals("sshd", get(config, "Definition", "v"));
    assertEquals("extra.local", get(config, "Definition", "w"));
  }

  @Test
  void skipsIncludeLoopsAndMissingIncludes() {
    dir.write("a.conf",
        "[INCLUDES]\nbefore = a.conf\n  missing.conf\nafter = b.conf\n[x]\nv = a\n");
    dir.write("b.conf", "[INCLUDES]\nbefore = a.conf\n[x]\nw = b\n");

    MergedConfig config = read("a");

    // As in fail2ban: a.conf includes itself once (then it is its own includer), and b.conf's
    // include of a.conf, its includer, is skipped.
    assertEquals(
        List.of(dir.path("a.conf"), dir.path("b.conf"), dir.path("a.conf"), dir.path("b.conf")),
        config.files());
    assertEquals("a", get(config, "x", "v"));
    assertEquals("b", get(config, "x", "w"));
  }

  @Test
  void mergesDefaultsAndRemembersOverwrittenValuesAsKnown() {
    dir.write("jail.conf", "[DEFAULT]\nd = 1\n[sshd]\nport = ssh\nmaxretry = 5\n");
    dir.write("jail.local", "[DEFAULT]\ne = 2\n[sshd]\nport = 2222\n");

    MergedConfig config = read("jail");

    assertEquals("1", get(config, "sshd", "d"));
    assertEquals("2", get(config, "sshd", "e"));
    assertEquals("2222", get(config, "sshd", "port"));
    assertEquals("ssh", config.knownOption("sshd", "port").orElseThrow().value().toString());
    assertEquals(List.of("sshd"), config.sectionNames());
  }

  @Test
  void foldsConditionalSectionsIntoTheirBaseSection() {
    dir.write("action.d/fw.conf", """
        [Init]
        blocktype = REJECT
        [Init?family=inet6]
        blocktype = REJECT6
        """);

    MergedConfig config = read("action.d/fw");

    assertEquals(List.of("Init"), config.sectionNames());
    assertEquals("REJECT6", get(config, "Init", "blocktype?family=inet6"));
    assertEquals("REJECT", get(config, "Init", "blocktype"));
  }
}
