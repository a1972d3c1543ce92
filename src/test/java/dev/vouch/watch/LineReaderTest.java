package dev.vouch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  /** Lines of every kind the reader must tell apart, with what it must give for each. */
  private static byte[] mixed() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("plain ascii\n".getBytes(StandardCharsets.UTF_8));
    out.write("crlf line\r\n".getBytes(StandardCharsets.UTF_8));
    out.write("user jürgen from 192.0.2.1\n".getBytes(StandardCharsets.UTF_8));
    out.write("a written \uFFFD is text\n".getBytes(StandardCharsets.UTF_8));
    out.write(new byte[] {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
    out.write(new byte[] {'h', 'a', 'l', 'f', ' ', (byte) 0xc3, '\n'});
    out.write("x".repeat(300).getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    out.write('\n');
    out.write(new byte[] {0, 1, 2, 'b', 'i', 'n', '\n'});
    out.write("no newline at the end".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static final List<String> EXPECTED = List.of("plain ascii", "crlf line",
      "user jürgen from 192.0.2.1", "a written \uFFFD is text", "bad \uFFFD\uFFFD", "half \uFFFD",
      "", "\u0000\u0001\u0002bin", "no newline at the end");

  @Test
  void readsLinesDecodingUtf8AndCountingWhatItCannot() throws IOException {
    LineReader reader = new LineReader(new ByteArrayInputStream(mixed()), 200);
    List<String> lines = new ArrayList<>();
    for (String line; (line = reader.next()) != null; ) {
      lines.add(line);
    }
    assertEquals(EXPECTED, lines);
    assertEquals(2, reader.undecodable(), "the two lines that are not UTF-8");
    assertEquals(1, reader.tooLong(), "the 300-byte line");
    assertEquals(mixed().length, reader.offset());
  }

  /** Blocks of every size, down to one smaller than a line, give the same lines and counts. */
  @Test
  void blocksGiveTheSameLinesCutAndDecodedWhereRead() throws IOException {
    for (int size : new int[] {1, 7, 30, 64, 250, 1 << 16}) {
      LineReader reader = new LineReader(new ByteArrayInputStream(mixed()), 200);
      List<String> lines = new ArrayList<>();
      for (List<String> batch; (batch = reader.nextBlock(size)) != null; ) {
        lines.addAll(batch);
      }
      assertEquals(EXPECTED, lines, "blocks of " + size);
      assertEquals(2, reader.undecodable(), "blocks of " + size);
      assertEquals(1, reader.tooLong(), "blocks of " + size);
      assertEquals(mixed().length, reader.offset(), "blocks of " + size);
    }
  }

  /** A block of nothing but ASCII (decoded without UTF-8 checks) reads as the line reader does. */
  @Test
  void anAsciiBlockReadsAsLinesDo() throws IOException {
    byte[] ascii = "one\r\n\u0000two\u007f\n\nthree\r".getBytes(StandardCharsets.US_ASCII);
    List<String> blocks = new ArrayList<>();
    LineReader reader = new LineReader(new ByteArrayInputStream(ascii), 200);
    for (List<String> batch; (batch = reader.nextBlock(1 << 16)) != null; ) {
      blocks.addAll(batch);
    }
    assertEquals(List.of("one", "\u0000two\u007f", "", "three"), blocks);
    assertEquals(0, reader.undecodable());
  }

  /**
   * Random text heavy in newlines and the bytes next to them (a vertical tab right after a newline
   * looks like one to the eight-byte search), ASCII and not: blocks give the lines one by one
   * does.
   */
  @Test
  void blocksCutRandomTextAsLinesDo() throws IOException {
    java.util.Random random = new java.util.Random(11);
    byte[] alphabet = {'\n', '\n', 0x0b, 0x0a ^ 0x01, '\r', 'a', ' ', 0, (byte) 0xc3, (byte) 0xa9};
    for (int round = 0; round < 300; round++) {
      byte[] text = new byte[random.nextInt(200)];
      int kinds = round % 2 == 0 ? 7 : alphabet.length; // every other round ASCII only
      for (int i = 0; i < text.length; i++) {
        text[i] = alphabet[random.nextInt(kinds)];
      }
      LineReader one = new LineReader(new ByteArrayInputStream(text), 50);
      List<String> expected = new ArrayList<>();
      for (String line; (line = one.next()) != null; ) {
        expected.add(line);
      }
      LineReader blocks = new LineReader(new ByteArrayInputStream(text), 50);
      List<String> lines = new ArrayList<>();
      for (List<String> batch; (batch = blocks.nextBlock(1 + random.nextInt(64))) != null; ) {
        lines.addAll(batch);
      }
      assertEquals(expected, lines, "round " + round);
      assertEquals(one.undecodable(), blocks.undecodable(), "round " + round);
      assertEquals(one.tooLong(), blocks.tooLong(), "round " + round);
    }
  }

  @Test
  void emptyInputHasNoLines() throws IOException {
    LineReader reader = new LineReader(new ByteArrayInputStream(new byte[0]), 200);
    assertEquals(null, reader.next());
    assertEquals(null, reader.nextBlock(10));
  }

  @Test
  void aLineLongerThanABlockIsSkippedWithoutHoldingIt() throws IOException {
    byte[] huge = new byte[10 * 1024 * 1024 + 4];
    java.util.Arrays.fill(huge, (byte) 'a');
    huge[0] = 'y';
    huge[1] = '\n';
    huge[huge.length - 2] = '\n';
    huge[huge.length - 1] = 'z';
    LineReader reader = new LineReader(new ByteArrayInputStream(huge), LineReader.DEFAULT_MAX_LINE);
    List<String> lines = new ArrayList<>();
    for (List<String> batch; (batch = reader.nextBlock(4096)) != null; ) {
      lines.addAll(batch);
    }
    assertEquals(List.of("y", "z"), lines);
    assertEquals(1, reader.tooLong());
  }

  @Test
  void aLineLongerThanTheBufferIsSkippedWithoutHoldingIt() throws IOException {
    byte[] huge = new byte[10 * 1024 * 1024 + 2];
    java.util.Arrays.fill(huge, (byte) 'a');
    huge[huge.length - 2] = '\n';
    huge[huge.length - 1] = 'z';
    LineReader reader = new LineReader(new ByteArrayInputStream(huge), LineReader.DEFAULT_MAX_LINE);
    assertEquals("z", reader.next());
    assertEquals(null, reader.next());
    assertEquals(1, reader.tooLong());
  }
}
