package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniParserTest {
  @TempDir Path temp;
  private ConfigDir dir;

  @BeforeEach
  void setUp() {
    dir = new ConfigDir(temp);
  }

  private IniFile parse(String text) {
    return IniParser.parse(dir.write("test.conf", text));
  }

  private static String value(IniFile file, String section, String key) {
    return file.sections().get(section).options().get(key).value().toString();
  }

  @Test
  void readsSectionsWithBothDelimitersAndLowerCasesOptionNames() {
    IniFile file = parse("""
        [DEFAULT]
        base = /var/log
        [sshd]
        LogPath = %(base)s/auth.log
        Port: ssh
        [SSHD]
        port = 22
        """);

    assertEquals("/var/log", file.defaults().get("base").value().toString());
    assertEquals("%(base)s/auth.log", value(file, "sshd", "logpath"));
    assertEquals("ssh", value(file, "sshd", "port"));
    assertEquals("22", value(file, "SSHD", "port"), "section names keep their case");
    assertEquals(List.of("sshd", "SSHD"), List.copyOf(file.sections().keySet()));
  }

  @Test
  void splitsAtTheFirstDelimiter() {
    IniFile file = parse("""
        [x]
        failregex: ^user=<F-USER>\\S+</F-USER> from <HOST>
        url = http://example.org:8080/
        """);

    assertEquals("^user=<F-USER>\\S+</F-USER> from <HOST>", value(file, "x", "failregex"));
    assertEquals("http://example.org:8080/", value(file, "x", "url"));
  }

  @Test
  void stripsFullLineCommentsAndOnlySpaceSemicolonInlineComments() {
    IniFile file = parse("""
        # comment
        ; comment too
        [x]
        a = one ; an inline comment
        b = two;three
        c = four # not a comment
        d = ; nothing but a comment
        e = tab\t; comment after a tab
        """);

    assertEquals("one", value(file, "x", "a"));
    assertEquals("two;three", value(file, "x", "b"));
    assertEquals("four # not a comment", value(file, "x", "c"));
    assertEquals("", value(file, "x", "d"));
    assertEquals("tab", value(file, "x", "e"));
  }

  @Test
  void joinsIndentedContinuationLinesKeepingBlankLinesAndSkippingComments() {
    IniFile file = parse("""
        [x]
        failregex = ^first <HOST>$
                    ^second <HOST>$

                    ^after blank <HOST>$
        # a comment at the margin does not end the value
                    ^after comment <HOST>$ ; inline comment
                    ; an indented comment

        next = value
        """);

    assertEquals("^first <HOST>$\n^second <HOST>$\n\n^after blank <HOST>$\n^after comment <HOST>$",
        value(file, "x", "failregex"));
    assertEquals("value", value(file, "x", "next"));
  }

  @Test
  void anEmptyFirstLineLeavesALeadingNewline() {
    IniFile file = parse("""
        [x]
        action =
            dummy
            other
        """);

    assertEquals("\ndummy\nother", value(file, "x", "action"));
  }

  @Test
  void continuationIsRelativeToTheIndentOfTheOptionLine() {
    IniFile file = parse("""
        [x]
          a = 1
          b = 2
            c = 3
        """);

    assertEquals("1", value(file, "x", "a"));
    assertEquals("2\nc = 3", value(file, "x", "b"));
  }

  @Test
  void remembersTheLineOfEachKeyAndOfEachContinuationLine() {
    IniFile file = parse("""
        [x]

        failregex = ^one$
                    ^two$
        """);
    IniOption option = file.sections().get("x").options().get("failregex");

    assertEquals(dir.at("test.conf", 3), option.origin().toString());
    List<Value> lines = option.value().lines(option.origin());
    assertEquals(dir.at("test.conf", 3), lines.get(0).origin().toString());
    assertEquals(dir.at("test.conf", 4), lines.get(1).origin().toString());
  }

  @Test
  void readsWindowsLineEndingsAndAByteOrderMark() {
    IniFile file = parse("\uFEFF[x]\r\na = 1\r\n  2\r\n");

    assertEquals("1\n2", value(file, "x", "a"));
  }

  @Test
  void rejectsAnOptionSetTwiceInOneSectionOfAFile() {
    ConfigException error = assertThrows(ConfigException.class, () -> parse("""
        [sshd]
        bantime = 1h
        maxretry = 3
        BanTime = 2h
        """));

    assertEquals(dir.at("test.conf", 4) + ": [sshd] bantime is set twice in this file (first at"
        + " line 2); a key may appear once per section in a file, later files override it",
        error.getMessage());
  }

  @Test
  void rejectsASectionTwiceInOneFileButAllowsTwoDefaultSections() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> parse("[a]\nx = 1\n[b]\n[a]\ny = 2\n"));
    assertEquals(dir.at("test.conf", 4) + ": section [a] appears twice in this file (first at"
        + " line 1); write its options under one header", error.getMessage());

    IniFile file = parse("[DEFAULT]\nx = 1\n[DEFAULT]\ny = 2\n");
    assertEquals(List.of("x", "y"), List.copyOf(file.defaults().keySet()));
  }

  @Test
  void rejectsAnOptionBeforeTheFirstSection() {
    ConfigException error = assertThrows(ConfigException.class, () -> parse("a = 1\n[x]\n"));

    assertEquals(dir.at("test.conf", 1)
        + ": expected a [section] header before the first option. Found: a = 1",
        error.getMessage());
  }

  @Test
  void rejectsALineThatIsNeitherOptionNorSection() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> parse("[x]\na = 1\nfailregex\n"));

    assertEquals(dir.at("test.conf", 3) + ": expected 'name = value', a [section] header or an"
        + " indented continuation line. Found: failregex", error.getMessage());
  }

  @Test
  void rejectsInvalidUtf8NamingTheLine() throws IOException {
    Path file = temp.resolve("latin1.conf");
    Files.write(file, new byte[] {'[', 'x', ']', '\n', 'a', '=', (byte) 0xe9, '\n'});

    ConfigException error = assertThrows(ConfigException.class, () -> IniParser.parse(file));

    assertEquals(file + ":2: not valid UTF-8 text; fail2ban and vouch read config files as UTF-8",
        error.getMessage());
  }
}
