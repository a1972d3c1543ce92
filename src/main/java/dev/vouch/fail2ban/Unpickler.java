package dev.vouch.fail2ban;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Reads the pickles fail2ban 1.0.2 replies with (protocol 5 on Python 3.11, reference §1.7), plus
 * the opcodes older protocols use for the same values.
 *
 * <p>Python values become: str → {@link String}, int → {@link Long} (or {@link BigInteger} beyond
 * 64 bits), float → {@link Double}, bool → {@link Boolean}, None → null, list → {@link ArrayList},
 * tuple → {@link PyTuple}, dict → {@link LinkedHashMap}, set → {@link LinkedHashSet}, bytes →
 * {@code byte[]}. A call of {@code builtins.str} (how fail2ban sends every IP address) becomes its
 * String; any other class becomes a generic {@link PyObject}. Nothing is ever imported or run.
 *
 * <p>Bad input gets a {@link Fail2banProtocolException} naming the byte offset. Every length is
 * checked against the bytes that remain before anything is allocated, the memo grows by one slot
 * per opcode at most, and there is no recursion, so no input can hang the reader or make it allocate
 * more than a small multiple of the input's size.
 *
 * <p>One instance reads one pickle; it is not thread-safe.
 */
final class Unpickler {
  private static final Object MISSING = new Object();
  private static final int HIGHEST_PROTOCOL = 5;

  private final byte[] data;
  private final int start;
  private final int end;
  private final IntConsumer opcodes;
  private int pos;
  private final ArrayList<Object> stack = new ArrayList<>();
  private int[] marks = new int[8];
  private int markCount;
  // MEMOIZE stores at the next index, so the memo is a list; BINPUT (older protocols) names its
  // index, and an index past the end goes to a map rather than growing the list to it.
  private final ArrayList<Object> memo = new ArrayList<>();
  private Map<Long, Object> sparseMemo;

  private Unpickler(byte[] data, int offset, int length, IntConsumer opcodes) {
    this.data = data;
    this.start = offset;
    this.end = offset + length;
    this.pos = offset;
    this.opcodes = opcodes;
  }

  /** The value pickled in {@code data}. */
  static Object load(byte[] data) {
    return load(data, 0, data.length, opcode -> {});
  }

  /**
   * The value pickled in {@code data[offset, offset + length)}; {@code opcodes} sees each opcode as
   * it is read (tests use it to prove which opcodes a real reply contains).
   */
  static Object load(byte[] data, int offset, int length, IntConsumer opcodes) {
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length);
    }
    return new Unpickler(data, offset, length, opcodes).run();
  }

  // One case per opcode: the switch is the pickle machine's instruction table, as in Python's own
  // pickle.py, and reads best in one place.
  private Object run() {
    while (true) {
      if (pos >= end) {
        throw error(pos, "the pickle ends before its STOP opcode (truncated?)");
      }
      int at = pos;
      int opcode = data[pos++] & 0xff;
      opcodes.accept(opcode);
      switch (opcode) {
        case 0x80 -> { // PROTO
          int protocol = u8(at);
          if (protocol > HIGHEST_PROTOCOL) {
            throw error(at, "pickle protocol " + protocol + " is newer than 5");
          }
        }
        case 0x95 -> need(at, u64(at), "FRAME"); // the frame's bytes are read as they come
        case '.' -> { // STOP
          return pop(at);
        }
        case '(' -> pushMark();
        case '0' -> { // POP
          if (stack.size() > markBase()) {
            stack.remove(stack.size() - 1);
          } else {
            popMark(at);
          }
        }
        case '1' -> popMark(at); // POP_MARK
        case '2' -> push(top(at)); // DUP
        case 'N' -> push(null);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'K' -> push((long) u8(at)); // BININT1
        case 'M' -> push(littleEndian(at, 2)); // BININT2
        case 'J' -> push((long) (int) littleEndian(at, 4)); // BININT, signed
        case 0x8a -> push(longValue(at, u8(at))); // LONG1
        case 0x8b -> push(longValue(at, signedLength(at))); // LONG4
        case 'G' -> push(Double.longBitsToDouble(bigEndian64(at))); // BINFLOAT, big-endian
        case 0x8c -> push(text(at, u8(at))); // SHORT_BINUNICODE
        case 'X' -> push(text(at, littleEndian(at, 4))); // BINUNICODE
        case 0x8d -> push(text(at, u64(at))); // BINUNICODE8
        case 'C' -> push(bytes(at, u8(at))); // SHORT_BINBYTES
        case 'B' -> push(bytes(at, littleEndian(at, 4))); // BINBYTES
        case 0x8e, 0x96 -> push(bytes(at, u64(at))); // BINBYTES8, BYTEARRAY8
        case ']' -> push(new ArrayList<>());
        case 'l' -> push(popMark(at)); // LIST
        case 'a' -> { // APPEND
          Object item = pop(at);
          list(at, top(at)).add(item);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popMark(at);
          list(at, top(at)).addAll(items);
        }
        case ')' -> push(PyTuple.EMPTY);
        case 0x85 -> push(tuple(at, 1));
        case 0x86 -> push(tuple(at, 2));
        case 0x87 -> push(tuple(at, 3));
        case 't' -> push(new PyTuple(popMark(at)));
        case '}' -> push(new LinkedHashMap<>());
        case 'd' -> { // DICT
          Map<Object, Object> dict = new LinkedHashMap<>();
          putPairs(at, dict, popMark(at));
          push(dict);
        }
        case 's' -> { // SETITEM
          Object value = pop(at);
          Object key = pop(at);
          dict(at, top(at)).put(hashable(at, key), value);
        }
        case 'u' -> { // SETITEMS
          List<Object> pairs = popMark(at);
          putPairs(at, dict(at, top(at)), pairs);
        }
        case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
        case 0x90 -> { // ADDITEMS
          List<Object> items = popMark(at);
          addAll(at, set(at, top(at)), items);
        }
        case 0x91 -> { // FROZENSET
          Set<Object> set = new LinkedHashSet<>();
          addAll(at, set, popMark(at));
          push(Collections.unmodifiableSet(set));
        }
        case 0x94 -> memo.add(top(at)); // MEMOIZE
        case 'q' -> memoPut(at, u8(at)); // BINPUT
        case 'r' -> memoPut(at, littleEndian(at, 4)); // LONG_BINPUT
        case 'h' -> push(memoGet(at, u8(at))); // BINGET
        case 'j' -> push(memoGet(at, littleEndian(at, 4))); // LONG_BINGET
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop(at);
          Object module = pop(at);
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw error(at, "STACK_GLOBAL needs two str, found " + typeName(module) + " and "
                + typeName(name));
          }
          push(new PyGlobal(m, n));
        }
        case 'c' -> push(new PyGlobal(line(at), line(at))); // GLOBAL
        case 'R' -> { // REDUCE
          Object args = pop(at);
          Object callable = pop(at);
          push(call(at, callable, args));
        }
        case 0x81 -> { // NEWOBJ
          Object args = pop(at);
          Object type = pop(at);
          push(newObject(at, type, args));
        }
        case 'b' -> { // BUILD
          Object state = pop(at);
          Object target = top(at);
          if (!(target instanceof PyObject object)) {
            throw error(at, "BUILD on a " + typeName(target));
          }
          object.build(state);
        }
        default -> throw error(at, String.format("unsupported pickle opcode 0x%02x", opcode));
      }
    }
  }

  private Object call(int at, Object callable, Object args) {
    if (!(callable instanceof PyGlobal global)) {
      throw error(at, "REDUCE calls a " + typeName(callable) + ", not a class or function");
    }
    if (!(args instanceof PyTuple tuple)) {
      throw error(at, "REDUCE needs a tuple of arguments, found " + typeName(args));
    }
    if (global.is("str")) {
      // IPAddr.__reduce__ returns (str, (ntoa,)): every IP fail2ban sends arrives this way.
      return tuple.size() == 0 ? "" : PythonText.str(tuple.get(0));
    }
    if ((global.is("set") || global.is("frozenset")) && tuple.size() <= 1) {
      Set<Object> set = new LinkedHashSet<>();
      if (tuple.size() == 1) {
        if (!(tuple.get(0) instanceof Collection<?> items)) {
          throw error(at, global.name() + "() of a " + typeName(tuple.get(0)));
        }
        addAll(at, set, items);
      }
      return global.is("set") ? set : Collections.unmodifiableSet(set);
    }
    return new PyObject(global.module(), global.name(), tuple);
  }

  private Object newObject(int at, Object type, Object args) {
    if (!(type instanceof PyGlobal global) || !(args instanceof PyTuple tuple)) {
      throw error(at, "NEWOBJ needs a class and a tuple, found " + typeName(type) + " and "
          + typeName(args));
    }
    return new PyObject(global.module(), global.name(), tuple);
  }

  private PyTuple tuple(int at, int size) {
    if (stack.size() - markBase() < size) {
      throw error(at, "stack underflow: a tuple of " + size + " needs " + size + " values");
    }
    List<Object> top = stack.subList(stack.size() - size, stack.size());
    PyTuple tuple = new PyTuple(top);
    top.clear();
    return tuple;
  }

  private void putPairs(int at, Map<Object, Object> dict, List<Object> pairs) {
    if (pairs.size() % 2 != 0) {
      throw error(at, "odd number of items (" + pairs.size() + ") for a dict");
    }
    for (int i = 0; i < pairs.size(); i += 2) {
      dict.put(hashable(at, pairs.get(i)), pairs.get(i + 1));
    }
  }

  private void addAll(int at, Set<Object> set, Collection<?> items) {
    for (Object item : items) {
      set.add(hashable(at, item));
    }
  }

  /**
   * Refuses keys that Python would not hash (list, dict, set) and nested containers, whose Java
   * hashCode would recurse as deep as a hostile input nests them.
   */
  private Object hashable(int at, Object key) {
    if (isScalar(key)) {
      return key;
    }
    if (key instanceof PyTuple tuple && tuple.items().stream().allMatch(Unpickler::isScalar)) {
      return key;
    }
    throw error(at, "a " + typeName(key) + " cannot be a dict key or set item here");
  }

  private static boolean isScalar(Object value) {
    return value == null || value instanceof String || value instanceof Long
        || value instanceof BigInteger || value instanceof Double || value instanceof Boolean
        || value instanceof PyGlobal;
  }

  // --- the stack and the marks

  private void push(Object value) {
    stack.add(value);
  }

  private int markBase() {
    return markCount == 0 ? 0 : marks[markCount - 1];
  }

  private Object pop(int at) {
    if (stack.size() <= markBase()) {
      throw error(at, "stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object top(int at) {
    if (stack.size() <= markBase()) {
      throw error(at, "stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private void pushMark() {
    if (markCount == marks.length) {
      marks = Arrays.copyOf(marks, marks.length * 2);
    }
    marks[markCount++] = stack.size();
  }

  private List<Object> popMark(int at) {
    if (markCount == 0) {
      throw error(at, "no MARK to collect items from");
    }
    int base = marks[--markCount];
    List<Object> top = stack.subList(base, stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  // --- the memo

  private void memoPut(int at, long index) {
    Object value = top(at);
    if (index < memo.size()) {
      memo.set((int) index, value);
    } else if (index == memo.size()) {
      memo.add(value);
    } else {
      if (sparseMemo == null) {
        sparseMemo = new HashMap<>();
      }
      sparseMemo.put(index, value);
    }
  }

  private Object memoGet(int at, long index) {
    Object value = index < memo.size() ? memo.get((int) index)
        : sparseMemo == null ? MISSING : sparseMemo.getOrDefault(index, MISSING);
    if (value == MISSING) {
      throw error(at, "memo has no entry " + index);
    }
    return value;
  }

  // --- typed views of the top of the stack

  @SuppressWarnings("unchecked")
  private List<Object> list(int at, Object value) {
    if (value instanceof ArrayList<?> list) {
      return (List<Object>) list;
    }
    throw error(at, "APPEND to a " + typeName(value));
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(int at, Object value) {
    if (value instanceof LinkedHashMap<?, ?> dict) {
      return (Map<Object, Object>) dict;
    }
    throw error(at, "SETITEM on a " + typeName(value));
  }

  @SuppressWarnings("unchecked")
  private Set<Object> set(int at, Object value) {
    if (value instanceof LinkedHashSet<?> set) {
      return (Set<Object>) set;
    }
    throw error(at, "ADDITEMS on a " + typeName(value));
  }

  // --- reading operands

  private void need(int at, long count, String what) {
    if (count < 0 || count > end - pos) {
      throw error(at, what + " declares " + Long.toUnsignedString(count) + " bytes but only "
          + (end - pos) + " remain (truncated?)");
    }
  }

  private int u8(int at) {
    need(at, 1, "an operand");
    return data[pos++] & 0xff;
  }

  private long littleEndian(int at, int width) {
    need(at, width, "an operand");
    long value = 0;
    for (int i = 0; i < width; i++) {
      value |= (long) (data[pos++] & 0xff) << (8 * i);
    }
    return value;
  }

  private long u64(int at) {
    return littleEndian(at, 8); // > 2^63 reads as negative, which need() refuses
  }

  private long bigEndian64(int at) {
    need(at, 8, "BINFLOAT");
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = value << 8 | (data[pos++] & 0xff);
    }
    return value;
  }

  private int signedLength(int at) {
    int length = (int) littleEndian(at, 4);
    if (length < 0) {
      throw error(at, "negative length " + length);
    }
    return length;
  }

  private Object longValue(int at, int length) {
    need(at, length, "LONG");
    if (length == 0) {
      return 0L;
    }
    byte[] bigEndian = new byte[length];
    for (int i = 0; i < length; i++) {
      bigEndian[length - 1 - i] = data[pos + i];
    }
    pos += length;
    BigInteger value = new BigInteger(bigEndian); // two's complement, as pickle encodes it
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private String text(int at, long length) {
    need(at, length, "a str");
    try {
      String text = PythonUtf8.decode(data, pos, (int) length);
      pos += (int) length;
      return text;
    } catch (IllegalArgumentException e) {
      throw error(at, "a str is not valid UTF-8: " + e.getMessage());
    }
  }

  private byte[] bytes(int at, long length) {
    need(at, length, "a bytes object");
    byte[] bytes = Arrays.copyOfRange(data, pos, pos + (int) length);
    pos += (int) length;
    return bytes;
  }

  /** A newline-terminated operand of GLOBAL. */
  private String line(int at) {
    int newline = pos;
    while (newline < end && data[newline] != '\n') {
      newline++;
    }
    if (newline == end) {
      throw error(at, "GLOBAL operand has no end of line (truncated?)");
    }
    String text = text(at, newline - pos);
    pos++;
    return text;
  }

  private Fail2banProtocolException error(int at, String what) {
    return new Fail2banProtocolException(what + " at byte " + (at - start) + " of " + (end - start));
  }

  /** Python's name for the type of an unpickled value, for messages. */
  static String typeName(Object value) {
    if (value == null) {
      return "NoneType";
    } else if (value instanceof String) {
      return "str";
    } else if (value instanceof Long || value instanceof BigInteger) {
      return "int";
    } else if (value instanceof Double) {
      return "float";
    } else if (value instanceof Boolean) {
      return "bool";
    } else if (value instanceof byte[]) {
      return "bytes";
    } else if (value instanceof PyTuple) {
      return "tuple";
    } else if (value instanceof List) {
      return "list";
    } else if (value instanceof Map) {
      return "dict";
    } else if (value instanceof Set) {
      return "set";
    } else if (value instanceof PyGlobal global) {
      return "class " + global.qualifiedName();
    } else if (value instanceof PyObject object) {
      return object.qualifiedName();
    }
    return value.getClass().getSimpleName();
  }
}
