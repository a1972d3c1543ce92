package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterReaderTest {
  @TempDir Path temp;
  private ConfigDir dir;

  @BeforeEach
  void setUp() {
    dir = new ConfigDir(temp);
    dir.write("filter.d/common.conf", """
        [DEFAULT]
        __prefix = <lt_<logtype>/__prefix>
        [lt_file]
        __prefix = \\S+ \\S+:
        [lt_journal]
        __prefix = journal:
        [lt_short]
        __prefix = short:
        """);
  }

  private FilterReader reader(String... dirs) {
    return new FilterReader(List.of(dirs).stream().map(temp::resolve).toList());
  }

  private static List<String> texts(List<Value> values) {
    return values.stream().map(Value::text).toList();
  }

  @Test
  void theFirstDirectoryWithConfOrLocalWins() {
    dir.write("site/x.local", "[Definition]\nfailregex = ^site <HOST>$\n");
    dir.write("site/y.d/only.conf", "[Definition]\nfailregex = ^drop-in only <HOST>$\n");
    dir.write("stock/x.conf", "[Definition]\nfailregex = ^stock <HOST>$\n");
    dir.write("stock/y.conf", "[Definition]\nfailregex = ^stock y <HOST>$\n");

    FilterReader reader = reader("site", "stock");

    assertEquals(List.of("^site <HOST>$"), texts(reader.read("x").failregex()));
    assertEquals(dir.path("site/x.local"), reader.read("x").file());
    assertEquals(List.of("^stock y <HOST>$"), texts(reader.read("y").failregex()));
  }

  @Test
  void readsAFilterByAbsolutePath() {
    dir.write("elsewhere/mine.conf", "[Definition]\nfailregex = ^mine <HOST>$\n");
    FilterReader reader = reader("filter.d");

    String path = dir.path("elsewhere/mine.conf").toString();
    assertEquals(List.of("^mine <HOST>$"), texts(reader.read(path).failregex()));
    assertEquals(List.of("^mine <HOST>$"),
        texts(reader.read(path.replace(".conf", "") + "[x=1]").failregex()));
  }

  @Test
  void argumentsOverrideInitWhichOverridesDefinition() {
    dir.write("filter.d/layers.conf", """
        [Init]
        b = init
        c = init
        [Definition]
        a = definition
        b = definition
        c = definition
        failregex = ^<a> <b> <c> <HOST>$
        """);

    FilterDefinition filter = reader("filter.d").read("layers[c=argument]");

    assertEquals(List.of("^definition init argument <HOST>$"), texts(filter.failregex()));
    assertEquals("argument", filter.options().get("c"));
  }

  @Test
  void anArgumentExtendsTheInitValueItReplaces() {
    dir.write("filter.d/x.conf", "[Init]\np = one\n[Definition]\nfailregex = ^<p> <HOST>$\n");

    FilterDefinition filter = reader("filter.d").read("x[p=\"<known/p>|three\"]");

    assertEquals(List.of("^one|three <HOST>$"), texts(filter.failregex()));
  }

  @Test
  void theLogtypeFollowsTheBackendUnlessGiven() {
    dir.write("filter.d/x.conf", """
        [INCLUDES]
        before = common.conf
        [Definition]
        failregex = ^<__prefix> failed from <HOST>$
        """);
    FilterReader reader = reader("filter.d");

    assertEquals(List.of("^\\S+ \\S+: failed from <HOST>$"),
        texts(reader.read("x", "auto").failregex()));
    assertEquals(List.of("^journal: failed from <HOST>$"),
        texts(reader.read("x", "systemd[journalflags=1]").failregex()));
    assertEquals(List.of("^short: failed from <HOST>$"),
        texts(reader.read("x[logtype=short]", "systemd").failregex()));
    assertEquals("file", reader.read("x").options().get("logtype"));
  }

  @Test
  void eachRegexLineKeepsTheLineWhereItWasWritten() {
    Path conf = dir.write("filter.d/x.conf", """
        [INCLUDES]
        before = common.conf

        [Definition]
        failregex = ^<__prefix> one <HOST>$
                    <two>

        two = ^two <HOST>$
        ignoreregex = ^ignored$
        """);
    Path local = dir.write("filter.d/x.local", """
        [Definition]
        failregex = %(known/failregex)s
                    ^local <HOST>$
        """);

    FilterDefinition filter = reader("filter.d").read("x");

    assertEquals(List.of(
        new Value("^\\S+ \\S+: one <HOST>$", new Origin(conf, 5)),
        new Value("^two <HOST>$", new Origin(conf, 8)),
        new Value("^local <HOST>$", new Origin(local, 3))), filter.failregex());
    assertEquals(List.of(new Value("^ignored$", new Origin(conf, 9))), filter.ignoreregex());
  }

  @Test
  void readsTheFilterSettings() {
    dir.write("filter.d/x.conf", """
        [Init]
        maxlines = 3
        journalmatch = _SYSTEMD_UNIT=x.service + _COMM=x
        [Definition]
        prefregex = ^<F-CONTENT>.+</F-CONTENT>$
        failregex = ^a <HOST>$
        datepattern = ^%%Y-%%m-%%d
                      {^LN-BEG}
        """);

    FilterDefinition filter = reader("filter.d").read("x");

    assertEquals(Optional.of("^<F-CONTENT>.+</F-CONTENT>$"), filter.prefregex().map(Value::text));
    assertEquals(3, filter.maxlines());
    assertEquals(List.of("^%Y-%m-%d", "{^LN-BEG}"), filter.datepattern());
    assertEquals(List.of("_SYSTEMD_UNIT=x.service + _COMM=x"), filter.journalmatch());
    assertEquals(Optional.empty(), filter.usedns());
  }

  @Test
  void aBadMaxlinesNamesItsLine() {
    Path conf =
        dir.write("filter.d/x.conf", "[Definition]\nfailregex = ^a <HOST>$\nmaxlines = two\n");

    ConfigException error =
        assertThrows(ConfigException.class, () -> reader("filter.d").read("x"));

    assertEquals(conf + ":3: maxlines: expected a whole number. Found: two", error.getMessage());
  }

  @Test
  void aMissingFilterNamesTheDirectoriesSearched() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> reader("filter.d", "more").read("nope[mode=x]"));

    assertEquals("no filter named 'nope': expected nope.conf or nope.local in "
        + dir.path("filter.d") + ", " + dir.path("more"), error.getMessage());
  }
}
