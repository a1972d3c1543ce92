package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class UnpicklerTest {

  // --- the captured replies of reference §1.6

  @Test
  void readsThePingReply() {
    Object reply = Unpickler.load(Hex.bytes(
        "80 05 95 0c 00 00 00 00 00 00 00 4b 00 8c 04 70 6f 6e 67 94 86 94 2e"));

    assertEquals(PyTuple.of(0L, "pong"), reply);
  }

  @Test
  void readsIpAddressesThatArriveAsBuiltinsStrCalls() {
    Object reply = Unpickler.load(Hex.bytes("""
        80 05 95 4d 00 00 00 00 00 00 00 4b 00 5d 94 28 8c 08 62 75 69 6c 74 69 6e 73 94 8c 03 73 74
        72 94 93 94 8c 0b 31 32 37 2e 30 2e 30 2e 30 2f 38 94 85 94 52 94 68 03 8c 0a 31 30 2e 30 2e
        30 2e 30 2f 38 94 85 94 52 94 68 03 8c 03 3a 3a 31 94 85 94 52 94 65 86 94 2e"""));

    assertEquals(PyTuple.of(0L, List.of("127.0.0.0/8", "10.0.0.0/8", "::1")), reply);
  }

  @Test
  void readsAnExceptionAsAGenericObject() {
    byte[] pickle = new Hex.Builder().hex("80 05 95 45 00 00 00 00 00 00 00 4b 01")
        .shortText("fail2ban.exceptions").op(0x94).shortText("UnknownJailException").op(0x94)
        .hex("93 94").shortText("nosuchjail").hex("94 85 94 52 94 86 94 2e").build();

    Object reply = Unpickler.load(pickle);

    PyTuple envelope = assertInstanceOf(PyTuple.class, reply);
    assertEquals(1L, envelope.get(0));
    PyObject error = assertInstanceOf(PyObject.class, envelope.get(1));
    assertEquals("fail2ban.exceptions.UnknownJailException", error.qualifiedName());
    assertEquals(PyTuple.of("nosuchjail"), error.args());
    assertNull(error.state());
  }

  @Test
  void readsTheBareErrorString() {
    byte[] pickle = new Hex.Builder().hex("80 05 95 24 00 00 00 00 00 00 00")
        .hex("8c 20").ascii("ERROR: pickle data was truncated").hex("94 2e").build();

    assertEquals("ERROR: pickle data was truncated", Unpickler.load(pickle));
  }

  @Test
  void readsTheStopReply() {
    assertEquals(PyTuple.of(0L, null),
        Unpickler.load(Hex.bytes("80 05 95 06 00 00 00 00 00 00 00 4b 00 4e 86 94 2e")));
  }

  // --- every opcode, on pickles written by Python 3.11

  /**
   * {@code pickle.dumps((0, [None, True, False, 1, 300, 70000, -1, 2**40, -2**70, 2.5, 'ü€𝄞',
   * b'ab', (), (1,), (1,2), (1,2,3), (1,2,3,4), {}, {'a':1,'b':2}, {'k':'v'}, set(), {7,8},
   * frozenset({3}), 'x'*300, 2629800.0, '\udcff']), 5)}.
   */
  private static final String PROTOCOL_5_VALUES = """
      800595d3010000000000004b005d94284e88894b014d2c014a701101004affffffff8a060000000000018a09
      0000000000000000c04740040000000000008c09c3bce282acf09d849e944302616294294b0185944b014b02
      86944b014b024b038794284b014b024b034b0474947d947d94288c0161944b018c0162944b02757d948c016b
      948c017694738f948f94284b084b0790284b039194582c010000787878787878787878787878787878787878
      7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878
      7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878
      7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878
      7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878
      7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878
      7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878
      787878787878787878787878787878787878944741441054000000008c03edb3bf946586942e""";

  @Test
  void readsEveryValueKindOfProtocol5() {
    Set<Integer> seen = new TreeSet<>();
    byte[] pickle = Hex.bytes(PROTOCOL_5_VALUES);

    PyTuple reply = (PyTuple) Unpickler.load(pickle, 0, pickle.length, seen::add);

    List<?> values = (List<?>) reply.get(1);
    assertEquals(Arrays.asList(null, true, false, 1L, 300L, 70000L, -1L, 1L << 40,
        new BigInteger("-1180591620717411303424"), 2.5, "ü€𝄞"), values.subList(0, 11));
    assertEquals("[97, 98]", Arrays.toString((byte[]) values.get(11)));
    assertEquals(Arrays.asList(PyTuple.EMPTY, PyTuple.of(1L), PyTuple.of(1L, 2L),
        PyTuple.of(1L, 2L, 3L), PyTuple.of(1L, 2L, 3L, 4L), Map.of(), Map.of("a", 1L, "b", 2L),
        Map.of("k", "v"), Set.of(), Set.of(7L, 8L), Set.of(3L), "x".repeat(300), 2629800.0,
        "\udcff"), values.subList(12, values.size()));
    assertEquals(opcodes(0x80, 0x95, 'K', ']', 0x94, '(', 'N', 0x88, 0x89, 'M', 'J', 0x8a, 'G',
        0x8c, 'C', ')', 0x85, 0x86, 0x87, 't', '}', 's', 'u', 0x8f, 0x90, 0x91, 'X', 'e', '.'),
        seen);
  }

  /** {@code pickle.dumps([ValueError('bad', 2), {'s'}, 'é'], 2)}: GLOBAL, BINPUT, APPEND. */
  @Test
  void readsProtocol2GlobalsBinputsAndSetCalls() {
    Set<Integer> seen = new TreeSet<>();
    byte[] pickle = Hex.bytes("""
        80025d71002863657863657074696f6e730a56616c75654572726f720a7101580300000062616471024b0286
        7103527104635f5f6275696c74696e5f5f0a7365740a71055d71065801000000737107618571085271095802
        000000c3a9710a652e""");

    List<?> values = (List<?>) Unpickler.load(pickle, 0, pickle.length, seen::add);

    PyObject error = (PyObject) values.get(0);
    assertEquals("exceptions.ValueError", error.qualifiedName());
    assertEquals(PyTuple.of("bad", 2L), error.args());
    assertEquals(Set.of("s"), values.get(1));
    assertEquals("é", values.get(2));
    assertTrue(seen.containsAll(opcodes('c', 'q', 'a', 'R')), seen.toString());
  }

  /** An exception with a {@code __dict__} is pickled with BUILD after REDUCE. */
  @Test
  void buildGivesAnObjectItsState() {
    byte[] pickle = Hex.bytes("80059535000000000000004b018c086275696c74696e73948c0a56616c75654572"
        + "726f729493948c017894859452947d948c056578747261944b01736286942e");

    PyTuple reply = (PyTuple) Unpickler.load(pickle);

    PyObject error = (PyObject) reply.get(1);
    assertEquals("builtins.ValueError", error.qualifiedName());
    assertEquals(Map.of("extra", 1L), error.state());
  }

  @Test
  void longBingetReachesPastTheFirst256MemoEntries() {
    // Like Python's output for ['s0', ..., 's299', x, x]: x is memoized at 301 and fetched again.
    Hex.Builder pickle = new Hex.Builder().hex("80 05 5d 94 28");
    for (int i = 0; i < 300; i++) {
      pickle.shortText("s" + i).op(0x94);
    }
    Set<Integer> seen = new TreeSet<>();
    byte[] bytes = pickle.shortText("shared").op(0x94).op('j').u32(301).hex("65 2e").build();

    List<?> values = (List<?>) Unpickler.load(bytes, 0, bytes.length, seen::add);

    assertEquals(302, values.size());
    assertSame(values.get(300), values.get(301));
    assertTrue(seen.contains((int) 'j'));
  }

  @Test
  void longBinputStoresAtTheIndexItNames() {
    byte[] pickle = new Hex.Builder().hex("80 02 5d").op('r').u32(0).hex("28")
        .text("a").op('r').u32(1).op('h').hex("01").op('j').u32(1).hex("65 2e").build();

    assertEquals(List.of("a", "a", "a"), Unpickler.load(pickle));
  }

  @Test
  void aBinputFarPastTheMemoDoesNotAllocateUpToIt() {
    byte[] pickle = new Hex.Builder().hex("80 02").text("far").op('r').u32(0xffff_fff0L)
        .op('0').op('j').u32(0xffff_fff0L).hex("2e").build();

    assertEquals("far", Unpickler.load(pickle));
  }

  @Test
  void readsTheWideStringAndBytesForms() {
    byte[] pickle = new Hex.Builder().hex("80 05 28").op(0x8d).u64(3).ascii("abc")
        .op(0x8e).u64(2).ascii("de").op('B').u32(1).ascii("f").hex("74 2e").build();

    PyTuple tuple = (PyTuple) Unpickler.load(pickle);

    assertEquals("abc", tuple.get(0));
    assertEquals("[100, 101]", Arrays.toString((byte[]) tuple.get(1)));
    assertEquals("[102]", Arrays.toString((byte[]) tuple.get(2)));
  }

  @Test
  void readsLong4AndNormalisesSmallLongs() {
    // pickle.dumps(2**3000, 5) writes LONG4 with 376 bytes; LONG1 of 9 bytes may still fit a long.
    byte[] big = new byte[376];
    big[375] = 0x01;
    Hex.Builder pickle = new Hex.Builder().hex("80 05 28").op(0x8b).u32(376);
    for (byte b : big) {
      pickle.op(b);
    }
    byte[] bytes = pickle.hex("8a 09 05 00 00 00 00 00 00 00 00 8a 00 74 2e").build();

    PyTuple tuple = (PyTuple) Unpickler.load(bytes);

    assertEquals(BigInteger.TWO.pow(3000), tuple.get(0));
    assertEquals(5L, tuple.get(1));
    assertEquals(0L, tuple.get(2));
  }

  @Test
  void readsBinfloatBigEndian() {
    assertEquals(2629800.0, Unpickler.load(Hex.bytes("80 05 47 41 44 10 54 00 00 00 00 2e")));
  }

  @Test
  void readsTheOlderListDictPopAndDupOpcodes() {
    byte[] pickle = new Hex.Builder().hex("80 02 28").shortText("k").shortText("v").op('d')
        .op('(').shortText("gone").op('1').op('(').hex("4b 01 4b 02 6c").op('2').op('0')
        .hex("86 2e").build();

    assertEquals(PyTuple.of(Map.of("k", "v"), List.of(1L, 2L)), Unpickler.load(pickle));
  }

  @Test
  void newobjBuildsAGenericObject() {
    byte[] pickle = new Hex.Builder().hex("80 02").ascii("cfail2ban.server.ipdns\nIPAddr\n")
        .shortText("192.0.2.1").hex("85 81 2e").build();

    PyObject object = (PyObject) Unpickler.load(pickle);

    assertEquals("fail2ban.server.ipdns.IPAddr", object.qualifiedName());
    assertEquals(PyTuple.of("192.0.2.1"), object.args());
  }

  @Test
  void aMemoizedListKeepsGrowingLikePythons() {
    // x = []; (x, x) with an append after memoizing: both slots see the same list.
    byte[] pickle = Hex.bytes("80 05 5d 94 68 00 4b 07 61 86 2e");

    PyTuple tuple = (PyTuple) Unpickler.load(pickle);

    assertSame(tuple.get(0), tuple.get(1));
    assertEquals(List.of(7L), tuple.get(0));
  }

  // --- bad input: a clear exception, never a hang or a huge allocation

  @Test
  void namesTheOffsetOfTruncation() {
    Fail2banProtocolException error = assertThrows(Fail2banProtocolException.class,
        () -> Unpickler.load(Hex.bytes("80 05 95 0c 00 00 00 00 00 00 00 4b 00 8c 04 70 6f")));

    assertEquals("FRAME declares 12 bytes but only 6 remain (truncated?) at byte 2 of 17",
        error.getMessage());
  }

  @Test
  void everyTruncationOfARealReplyFailsCleanly() {
    byte[] whole = Hex.bytes(PROTOCOL_5_VALUES);
    for (int length = 0; length < whole.length; length++) {
      int cut = length;
      assertThrows(Fail2banProtocolException.class,
          () -> Unpickler.load(Arrays.copyOf(whole, cut)), "cut at " + cut);
    }
  }

  @Test
  void hugeDeclaredLengthsAreRefusedBeforeAllocating() {
    for (String hex : List.of("80 05 58 ff ff ff ff", "80 05 8d ff ff ff ff ff ff ff ff",
        "80 05 8d 00 00 00 00 00 00 00 80", "80 05 8b ff ff ff ff", "80 05 8b ff ff ff 7f",
        "80 05 95 ff ff ff ff ff ff ff ff", "80 05 42 00 00 00 40",
        "80 05 8e ff ff ff 7f 00 00 00 00")) {
      Fail2banProtocolException error = assertThrows(Fail2banProtocolException.class,
          () -> Unpickler.load(Hex.bytes(hex)), hex);
      assertTrue(error.getMessage().matches(".*(remain|negative).*"), error.getMessage());
    }
  }

  @Test
  void explainsStructuralErrors() {
    assertMessage("", "the pickle ends before its STOP opcode (truncated?) at byte 0 of 0");
    assertMessage("80 06 2e", "pickle protocol 6 is newer than 5 at byte 0 of 3");
    assertMessage("80 05 ff 2e", "unsupported pickle opcode 0xff at byte 2 of 4");
    assertMessage("80 05 2e", "stack underflow at byte 2 of 3");
    assertMessage("80 05 4b 01 28 86 2e",
        "stack underflow: a tuple of 2 needs 2 values at byte 5 of 7");
    assertMessage("80 05 65 2e", "no MARK to collect items from at byte 2 of 4");
    assertMessage("80 05 68 05 2e", "memo has no entry 5 at byte 2 of 5");
    assertMessage("80 05 8c 01 61 4b 01 61 2e", "APPEND to a str at byte 7 of 9");
    assertMessage("80 05 7d 5d 4b 01 73 2e",
        "a list cannot be a dict key or set item here at byte 6 of 8");
    assertMessage("80 05 4b 01 29 52 2e",
        "REDUCE calls a int, not a class or function at byte 5 of 7");
    assertMessage("80 05 8c 01 61 4b 01 93 2e",
        "STACK_GLOBAL needs two str, found str and int at byte 7 of 9");
    assertMessage("80 05 8c 01 61 7d 62 2e", "BUILD on a str at byte 6 of 8");
    assertMessage("80 05 8c 02 c3 28 2e",
        "a str is not valid UTF-8: invalid UTF-8 continuation byte at offset 5 at byte 2 of 7");
    assertMessage("80 02 63 61 0a 62",
        "GLOBAL operand has no end of line (truncated?) at byte 2 of 6");
  }

  @Test
  void aListThatHoldsItselfPrintsWithoutOverflowing() {
    // x = []; x.append(x)
    Object list = Unpickler.load(Hex.bytes("80 05 5d 94 68 00 61 2e"));

    assertTrue(PythonText.repr(list).startsWith("[[[[[["), PythonText.repr(list));
  }

  @Test
  void randomAndMutatedInputOnlyEverFailsCleanly() {
    Random random = new Random(20260422);
    byte[] real = Hex.bytes(PROTOCOL_5_VALUES);
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = new byte[random.nextInt(64)];
        random.nextBytes(input);
        if (input.length > 1 && random.nextBoolean()) {
          input[0] = (byte) 0x80;
          input[1] = 5;
        }
      } else {
        input = real.clone();
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      }
      inputs.add(input);
    }
    long started = System.nanoTime();
    for (byte[] input : inputs) {
      try {
        Unpickler.load(input);
      } catch (Fail2banProtocolException expected) {
        // The only failure allowed.
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        fail("input " + Hex.of(input) + " threw " + e, e);
      }
    }
    // Information, not a limit: 20,000 inputs normally take well under a second.
    System.out.printf("unpickled 20,000 random or mutated inputs in %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
  }

  private static void assertMessage(String hex, String message) {
    Fail2banProtocolException error = assertThrows(Fail2banProtocolException.class,
        () -> Unpickler.load(Hex.bytes(hex)), hex);
    assertEquals(message, error.getMessage(), hex);
  }

  private static Set<Integer> opcodes(int... opcodes) {
    Set<Integer> set = new TreeSet<>();
    for (int opcode : opcodes) {
      set.add(opcode);
    }
    return set;
  }
}
