package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * test-filter on bad input: each gets a clear message (with file:line where there is one) or is
 * skipped and counted; nothing crashes and nothing hangs.
 */
class TestFilterBadInputTest {
  private static final String GOOD = "[Definition]\nfailregex = ^Failed login from <HOST>$\n";

  @TempDir Path dir;
  private Path conf;

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    conf = dir.resolve("conf");
    Files.createDirectories(conf.resolve("filter.d"));
    Files.writeString(conf.resolve("vouch.conf"), "[Definition]\ndbfile = state/vouch\n");
    Files.writeString(conf.resolve("filter.d/good.conf"), GOOD);
  }

  private Result testFilter(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("-c", conf.toString(), "test-filter"));
    all.addAll(List.of(args));
    int exit = new Main(new CliContext(new PrintWriter(out), new PrintWriter(err),
        new ByteArrayInputStream(new byte[0]), Clock.systemDefaultZone(), dir,
        Optional.empty())).run(all.toArray(String[]::new));
    return new Result(exit, out.toString(), err.toString());
  }

  private void filter(String name, String text) throws IOException {
    Files.writeString(conf.resolve("filter.d/" + name + ".conf"), text);
  }

  @Test
  void aTypoInTheFilterNamesFileAndLine() throws IOException {
    filter("typo", GOOD + "failregex: ^oops\n");
    Result result = testFilter("typo", "Failed login from 192.0.2.1");
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("typo.conf:3:"), result.err());
    assertFalse(result.err().contains("Exception"), result.err());
  }

  @Test
  void anUnknownFilterSaysWhereItLooked() {
    Result result = testFilter("nosuch", "Failed login from 192.0.2.1");
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("no filter named 'nosuch'"), result.err());
    assertTrue(result.err().contains(conf.resolve("filter.d").toString()), result.err());
  }

  /** fail2ban reads a missing include as empty; vouch does too, and warns with file:line. */
  @Test
  void aMissingIncludeIsNamedAndReadAsEmpty() throws IOException {
    filter("missing", "[INCLUDES]\nbefore = common-typo.conf\n\n" + GOOD);
    List<String> warnings = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        warnings.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger("vouch.config");
    logger.addHandler(handler);
    try {
      Result result = testFilter("missing", "Failed login from 192.0.2.1");
      assertEquals(0, result.exit(), result.err());
    } finally {
      logger.removeHandler(handler);
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("missing.conf:2: [INCLUDES] before: common-typo.conf"
        + " does not exist"), warnings.get(0));
  }

  /** A look-behind of no fixed width: Python refuses it, so fail2ban would; so does vouch. */
  @Test
  void aRegexNeitherEngineShouldRunIsRefusedWithFileAndLine() throws IOException {
    filter("lookbehind", "[Definition]\nfailregex = ^(?<=a+)Failed login from <HOST>$\n");
    Result result = testFilter("lookbehind", "Failed login from 192.0.2.1");
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("lookbehind.conf:2: failregex: look-behind requires"
        + " fixed-width pattern"), result.err());
    filter("unbalanced", "[Definition]\nfailregex = ^(Failed login from <HOST>$\n");
    Result unbalanced = testFilter("unbalanced", "Failed login from 192.0.2.1");
    assertEquals(2, unbalanced.exit());
    assertTrue(unbalanced.err().contains("unbalanced.conf:2: failregex: missing )"),
        unbalanced.err());
  }

  /** A 10 MB line, invalid UTF-8 and binary junk: skipped or decoded, counted, the rest read. */
  @Test
  void longLinesAndJunkAreSkippedOrCountedAndTheRestMatched() throws IOException {
    Path log = dir.resolve("junk.log");
    try (OutputStream out = Files.newOutputStream(log)) {
      out.write("Failed login from 192.0.2.1\n".getBytes(StandardCharsets.UTF_8));
      byte[] huge = new byte[10 * 1024 * 1024];
      java.util.Arrays.fill(huge, (byte) 'a');
      out.write(huge);
      out.write('\n');
      out.write(new byte[] {'F', 'a', 'i', 'l', (byte) 0xff, (byte) 0xc3, '\n'});
      byte[] binary = new byte[512];
      for (int i = 0; i < binary.length; i++) {
        binary[i] = (byte) (i % 256 == '\n' ? 0 : i % 256);
      }
      out.write(binary);
      out.write('\n');
      out.write("Failed login from 192.0.2.2\n".getBytes(StandardCharsets.UTF_8));
    }
    Result result = testFilter("good", log.toString());
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("Lines: 4 lines, 0 ignored, 2 matched, 2 missed"),
        result.out());
    assertTrue(result.out().contains("Skipped: 1 lines too long, 2 lines not UTF-8"),
        result.out());
  }

  @Test
  void anEmptyFileHasNoLinesAndNoMatch() throws IOException {
    Path log = dir.resolve("empty.log");
    Files.writeString(log, "");
    Result result = testFilter("good", log.toString());
    assertEquals(1, result.exit(), "no match is a negative answer: " + result.err());
    assertTrue(result.out().contains("Lines: 0 lines, 0 ignored, 0 matched, 0 missed"),
        result.out());
  }
}
