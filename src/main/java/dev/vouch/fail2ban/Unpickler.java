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
 * per opcode at most, and there is no recursion, so no input can hang the reader or make it
 * allocate more than a small multiple of the input's size.
 *
 * <p>One instance reads one pickle; it is not thread-safe.
 */
final class Unpickler {
  private static final Object MISSING = new Object();
  private static final int HIGHEST_PROTOCOL = 5;

  private final PickleInput input;
  private final IntConsumer opcodes;
  private final ArrayList<Object> stack = new ArrayList<>();
  private int[] marks = new int[8];
  private int markCount;
  // MEMOIZE stores at the next index, so the memo is a list; BINPUT (older protocols) names its
  // index, and an index past the end goes to a map rather than growing the list to it.
  private final ArrayList<Object> memo = new ArrayList<>();
  private Map<Long, Object> sparseMemo;

  private Unpickler(PickleInput input, IntConsumer opcodes) {
    this.input = input;
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
    return new Unpickler(new PickleInput(data, offset, length), opcodes).run();
  }

  // One case per opcode: the switch is the pickle machine's instruction table, as in Python's own
  // pickle.py, and reads best in one place.
  private Object run() {
    while (true) {
      int opcode = input.opcode();
      opcodes.accept(opcode);
      switch (opcode) {
        case 0x80 -> { // PROTO
          int protocol = input.u8();
          if (protocol > HIGHEST_PROTOCOL) {
            throw error("pickle protocol " + protocol + " is newer than 5");
          }
        }
        case 0x95 -> input.need(input.u64(), "FRAME"); // the frame's bytes are read as they come
        case '.' -> { // STOP
          return pop();
        }
        case '(' -> pushMark();
        case '0' -> { // POP
          if (stack.size() > markBase()) {
            stack.remove(stack.size() - 1);
          } else {
            popMark();
          }
        }
        case '1' -> popMark(); // POP_MARK
        case '2' -> push(top()); // DUP
        case 'N' -> push(null);
        case 0x88 -> push(Boolean.TRUE);
        case 0x89 -> push(Boolean.FALSE);
        case 'K' -> push((long) input.u8()); // BININT1
        case 'M' -> push(input.littleEndian(2)); // BININT2
        case 'J' -> push((long) (int) input.littleEndian(4)); // BININT, signed
        case 0x8a -> push(input.integer(input.u8())); // LONG1
        case 0x8b -> push(input.integer(input.signedLength())); // LONG4
        case 'G' -> push(input.bigEndianDouble()); // BINFLOAT, big-endian
        case 0x8c -> push(input.text(input.u8())); // SHORT_BINUNICODE
        case 'X' -> push(input.text(input.littleEndian(4))); // BINUNICODE
        case 0x8d -> push(input.text(input.u64())); // BINUNICODE8
        case 'C' -> push(input.bytes(input.u8())); // SHORT_BINBYTES
        case 'B' -> push(input.bytes(input.littleEndian(4))); // BINBYTES
        case 0x8e, 0x96 -> push(input.bytes(input.u64())); // BINBYTES8, BYTEARRAY8
        case ']' -> push(new ArrayList<>());
        case 'l' -> push(popMark()); // LIST
        case 'a' -> { // APPEND
          Object item = pop();
          list(top()).add(item);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popMark();
          list(top()).addAll(items);
        }
        case ')' -> push(PyTuple.EMPTY);
        case 0x85 -> push(tuple(1));
        case 0x86 -> push(tuple(2));
        case 0x87 -> push(tuple(3));
        case 't' -> push(new PyTuple(popMark()));
        case '}' -> push(new LinkedHashMap<>());
        case 'd' -> { // DICT
          Map<Object, Object> dict = new LinkedHashMap<>();
          putPairs(dict, popMark());
          push(dict);
        }
        case 's' -> { // SETITEM
          Object value = pop();
          Object key = pop();
          dict(top()).put(hashable(key), value);
        }
        case 'u' -> { // SETITEMS
          List<Object> pairs = popMark();
          putPairs(dict(top()), pairs);
        }
        case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
        case 0x90 -> { // ADDITEMS
          List<Object> items = popMark();
          addAll(set(top()), items);
        }
        case 0x91 -> { // FROZENSET
          Set<Object> set = new LinkedHashSet<>();
          addAll(set, popMark());
          push(Collections.unmodifiableSet(set));
        }
        case 0x94 -> memo.add(top()); // MEMOIZE
        case 'q' -> memoPut(input.u8()); // BINPUT
        case 'r' -> memoPut(input.littleEndian(4)); // LONG_BINPUT
        case 'h' -> push(memoGet(input.u8())); // BINGET
        case 'j' -> push(memoGet(input.littleEndian(4))); // LONG_BINGET
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw error("STACK_GLOBAL needs two str, found " + PythonText.typeName(module) + " and "
                + PythonText.typeName(name));
          }
          push(new PyGlobal(m, n));
        }
        case 'c' -> push(new PyGlobal(input.line(), input.line())); // GLOBAL
        case 'R' -> { // REDUCE
          Object args = pop();
          Object callable = pop();
          push(call(callable, args));
        }
        case 0x81 -> { // NEWOBJ
          Object args = pop();
          Object type = pop();
          push(newObject(type, args));
        }
        case 'b' -> { // BUILD
          Object state = pop();
          Object target = top();
          if (!(target instanceof PyObject object)) {
            throw error("BUILD on a " + PythonText.typeName(target));
          }
          object.build(state);
        }
        default -> throw error(String.format("unsupported pickle opcode 0x%02x", opcode));
      }
    }
  }

  private Object call(Object callable, Object args) {
    if (!(callable instanceof PyGlobal global)) {
      throw error("REDUCE calls a " + PythonText.typeName(callable) + ", not a class or function");
    }
    if (!(args instanceof PyTuple tuple)) {
      throw error("REDUCE needs a tuple of arguments, found " + PythonText.typeName(args));
    }
    if (global.is("str")) {
      // IPAddr.__reduce__ returns (str, (ntoa,)): every IP fail2ban sends arrives this way.
      return tuple.size() == 0 ? "" : PythonText.str(tuple.get(0));
    }
    if ((global.is("set") || global.is("frozenset")) && tuple.size() <= 1) {
      Set<Object> set = new LinkedHashSet<>();
      if (tuple.size() == 1) {
        if (!(tuple.get(0) instanceof Collection<?> items)) {
          throw error(global.name() + "() of a " + PythonText.typeName(tuple.get(0)));
        }
        addAll(set, items);
      }
      return global.is("set") ? set : Collections.unmodifiableSet(set);
    }
    return new PyObject(global.module(), global.name(), tuple);
  }

  private Object newObject(Object type, Object args) {
    if (!(type instanceof PyGlobal global) || !(args instanceof PyTuple tuple)) {
      throw error("NEWOBJ needs a class and a tuple, found " + PythonText.typeName(type) + " and "
          + PythonText.typeName(args));
    }
    return new PyObject(global.module(), global.name(), tuple);
  }

  private PyTuple tuple(int size) {
    if (stack.size() - markBase() < size) {
      throw error("stack underflow: a tuple of " + size + " needs " + size + " values");
    }
    List<Object> top = stack.subList(stack.size() - size, stack.size());
    PyTuple tuple = new PyTuple(top);
    top.clear();
    return tuple;
  }

  private void putPairs(Map<Object, Object> dict, List<Object> pairs) {
    if (pairs.size() % 2 != 0) {
      throw error("odd number of items (" + pairs.size() + ") for a dict");
    }
    for (int i = 0; i < pairs.size(); i += 2) {
      dict.put(hashable(pairs.get(i)), pairs.get(i + 1));
    }
  }

  private void addAll(Set<Object> set, Collection<?> items) {
    for (Object item : items) {
      set.add(hashable(item));
    }
  }

  /**
   * Refuses keys that Python would not hash (list, dict, set) and nested containers, whose Java
   * hashCode would recurse as deep as a hostile input nests them.
   */
  private Object hashable(Object key) {
    if (isScalar(key)) {
      return key;
    }
    if (key instanceof PyTuple tuple && tuple.items().stream().allMatch(Unpickler::isScalar)) {
      return key;
    }
    throw error("a " + PythonText.typeName(key) + " cannot be a dict key or set item here");
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

  private Object pop() {
    if (stack.size() <= markBase()) {
      throw error("stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object top() {
    if (stack.size() <= markBase()) {
      throw error("stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private void pushMark() {
    if (markCount == marks.length) {
      marks = Arrays.copyOf(marks, marks.length * 2);
    }
    marks[markCount++] = stack.size();
  }

  private List<Object> popMark() {
    if (markCount == 0) {
      throw error("no MARK to collect items from");
    }
    int base = marks[--markCount];
    List<Object> top = stack.subList(base, stack.size());
    List<Object> items = new ArrayList<>(top);
    top.clear();
    return items;
  }

  // --- the memo

  private void memoPut(long index) {
    Object value = top();
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

  private Object memoGet(long index) {
    Object value = index < memo.size() ? memo.get((int) index)
        : sparseMemo == null ? MISSING : sparseMemo.getOrDefault(index, MISSING);
    if (value == MISSING) {
      throw error("memo has no entry " + index);
    }
    return value;
  }

  // --- typed views of the top of the stack

  @SuppressWarnings("unchecked")
  private List<Object> list(Object value) {
    if (value instanceof ArrayList<?> list) {
      return (List<Object>) list;
    }
    throw error("APPEND to a " + PythonText.typeName(value));
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(Object value) {
    if (value instanceof LinkedHashMap<?, ?> dict) {
      return (Map<Object, Object>) dict;
    }
    throw error("SETITEM on a " + PythonText.typeName(value));
  }

  @SuppressWarnings("unchecked")
  private Set<Object> set(Object value) {
    if (value instanceof LinkedHashSet<?> set) {
      return (Set<Object>) set;
    }
    throw error("ADDITEMS on a " + PythonText.typeName(value));
  }

  private Fail2banProtocolException error(String what) {
    return input.error(what);
  }
}
