package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PickleWriterTest {
  private static final String END = "3c 46 32 42 5f 45 4e 44 5f 43 4f 4d 4d 41 4e 44 3e";

  @Test
  void writesPingAsReferenceSection1_3Shows() {
    byte[] frame = PickleWriter.request(List.of("ping"));

    assertEquals("80 02 5d 28 58 04 00 00 00 70 69 6e 67 65 2e " + END, Hex.of(frame));
  }

  @Test
  void writesStringsAsBinunicodeInOneMarkedAppends() {
    byte[] frame = PickleWriter.request(List.of("get", "testjail", "ignoreip"));

    assertEquals("80 02 5d 28"
        + " 58 03 00 00 00 67 65 74"
        + " 58 08 00 00 00 74 65 73 74 6a 61 69 6c"
        + " 58 08 00 00 00 69 67 6e 6f 72 65 69 70"
        + " 65 2e " + END, Hex.of(frame));
  }

  @Test
  void writesTheIntAndFloatFormsPythonUses() {
    byte[] frame = PickleWriter.request(Arrays.asList(
        "ping", 0.1, 3, 300, 70000, -1, 1L << 40, true, false, null));

    // Python's pickle.dumps(..., 2) writes these values with the same opcodes.
    assertEquals("80 02 5d 28 58 04 00 00 00 70 69 6e 67"
        + " 47 3f b9 99 99 99 99 99 9a" // BINFLOAT 0.1, big-endian
        + " 4b 03" // BININT1
        + " 4d 2c 01" // BININT2
        + " 4a 70 11 01 00" // BININT
        + " 4a ff ff ff ff"
        + " 8a 06 00 00 00 00 00 01" // LONG1 2**40
        + " 88 89 4e 65 2e " + END, Hex.of(frame));
  }

  @Test
  void writesEmptyAndNestedLists() {
    byte[] frame =
        PickleWriter.request(List.of("server-stream", List.of(List.of("ping")), List.of()));

    assertEquals("80 02 5d 28 58 0d 00 00 00 73 65 72 76 65 72 2d 73 74 72 65 61 6d"
        + " 5d 28 5d 28 58 04 00 00 00 70 69 6e 67 65 65 5d 65 2e " + END, Hex.of(frame));
  }

  @Test
  void roundTripsThroughTheUnpickler() {
    List<Object> command = Arrays.asList("set", "jäil", "addignoreip", "2001:db8::1",
        "\ud83d\ude00 and a lone \udcff", 0L, 255L, 256L, 65535L, 65536L, -2L,
        Long.MAX_VALUE, Long.MIN_VALUE, new BigInteger("-1180591620717411303424"), 2629800.0,
        -0.5, true, null, Arrays.asList("nested", 1L, List.of()));

    byte[] frame = PickleWriter.request(command);
    Object read = Unpickler.load(Arrays.copyOf(frame, frame.length - Frame.END.length));

    List<Object> expected = Arrays.asList(command.toArray());
    expected.set(expected.size() - 1, Arrays.asList("nested", 1L, List.of()));
    assertEquals(expected, read);
  }

  @Test
  void encodesLoneSurrogatesAsPythonsSurrogatepass() {
    byte[] frame = PickleWriter.request(List.of("\udcff"));

    assertEquals("80 02 5d 28 58 03 00 00 00 ed b3 bf 65 2e " + END, Hex.of(frame));
  }

  @Test
  void refusesAnArgumentWithTheEndMarker() {
    Fail2banRequestException error = assertThrows(Fail2banRequestException.class,
        () -> PickleWriter.request(List.of("set", "sshd", "addignoreip", "x<F2B_END_COMMAND>y")));

    assertEquals("cannot send 'set sshd addignoreip x<F2B_END_COMMAND>y' to fail2ban: an argument"
        + " contains fail2ban's frame marker <F2B_END_COMMAND>, which would cut the request short."
        + " Remove the marker from the value.", error.getMessage());
  }

  @Test
  void refusesTheCloseMarkerAndMarkersInNestedLists() {
    Fail2banRequestException close = assertThrows(Fail2banRequestException.class,
        () -> PickleWriter.request(List.of("echo", "<F2B_CLOSE_COMMAND>")));
    Fail2banRequestException nested = assertThrows(Fail2banRequestException.class,
        () -> PickleWriter.request(
            List.of("server-stream", List.of(List.of("<F2B_END_COMMAND>")))));

    assertTrue(close.getMessage().contains("<F2B_CLOSE_COMMAND>"), close.getMessage());
    assertTrue(nested.getMessage().contains("<F2B_END_COMMAND>"), nested.getMessage());
  }

  @Test
  void aMarkerSplitAcrossArgumentsIsHarmless() {
    byte[] frame = PickleWriter.request(List.of("<F2B_END_", "COMMAND>"));

    assertEquals(frame.length - Frame.END.length, Frame.indexOfEnd(frame));
  }

  @Test
  void refusesValuesFail2banDoesNotTake() {
    assertThrows(IllegalArgumentException.class, () -> PickleWriter.request(List.of(new Object())));
  }

  @Test
  void theFrameEndsWithTheMarker() {
    byte[] frame = PickleWriter.request(List.of("version"));

    assertArrayEquals(Frame.END, Arrays.copyOfRange(frame, frame.length - 17, frame.length));
    assertTrue(Frame.endsWithEnd(frame, frame.length));
  }
}
