package dev.vouch.filter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * Finds which of a fixed set of ASCII literals occur in a text, in one pass (an Aho-Corasick
 * automaton, compiled to a table over ASCII; any other character resets to the root, which is
 * right because no literal contains one). Immutable and thread-safe.
 */
final class LiteralScanner {
  private static final int ALPHABET = 128;

  private final List<String> literals;
  private final Map<String, Integer> ids = new HashMap<>();
  /**
   * delta[state + c], for a state kept as its row's offset (number times {@link #ALPHABET}): the
   * next state's offset, bit-inverted (negative) when that state ends a literal, so the common
   * step is a load, an add and a sign test, with no multiply in the chain from char to char.
   */
  private final int[] delta;
  /** Literal ids that end in each state, following failure links. */
  private final int[][] outputs;

  LiteralScanner(List<String> literals) {
    this.literals = List.copyOf(literals);
    for (String literal : this.literals) {
      ids.putIfAbsent(literal, ids.size());
    }
    if (ids.size() != this.literals.size()) {
      throw new IllegalArgumentException("a literal is listed twice: " + literals);
    }
    List<int[]> trie = new ArrayList<>();
    List<List<Integer>> ends = new ArrayList<>();
    trie.add(newRow());
    ends.add(new ArrayList<>());
    for (int id = 0; id < literals.size(); id++) {
      int state = 0;
      for (char c : literals.get(id).toCharArray()) {
        if (c >= ALPHABET) {
          throw new IllegalArgumentException("not an ASCII literal: " + literals.get(id));
        }
        if (trie.get(state)[c] < 0) {
          trie.get(state)[c] = trie.size();
          trie.add(newRow());
          ends.add(new ArrayList<>());
        }
        state = trie.get(state)[c];
      }
      ends.get(state).add(id);
    }
    int states = trie.size();
    int[] fail = new int[states];
    delta = new int[states * ALPHABET];
    outputs = new int[states][];
    Queue<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < ALPHABET; c++) {
      int next = trie.get(0)[c];
      delta[c] = next < 0 ? 0 : next;
      if (next > 0) {
        queue.add(next);
      }
    }
    outputs[0] = ends.get(0).stream().mapToInt(Integer::intValue).toArray();
    while (!queue.isEmpty()) {
      int state = queue.remove();
      List<Integer> out = new ArrayList<>(ends.get(state));
      for (int id : outputs[fail[state]]) {
        out.add(id);
      }
      outputs[state] = out.stream().mapToInt(Integer::intValue).toArray();
      for (int c = 0; c < ALPHABET; c++) {
        int next = trie.get(state)[c];
        if (next < 0) {
          delta[state * ALPHABET + c] = delta[fail[state] * ALPHABET + c];
        } else {
          fail[next] = delta[fail[state] * ALPHABET + c];
          delta[state * ALPHABET + c] = next;
          queue.add(next);
        }
      }
    }
    for (int i = 0; i < delta.length; i++) {
      int next = delta[i];
      delta[i] = outputs[next].length > 0 ? ~(next * ALPHABET) : next * ALPHABET;
    }
  }

  private static int[] newRow() {
    int[] row = new int[ALPHABET];
    Arrays.fill(row, -1);
    return row;
  }

  int size() {
    return literals.size();
  }

  /** The id of a literal this scanner finds. */
  int id(String literal) {
    Integer id = ids.get(literal);
    if (id == null) {
      throw new IllegalArgumentException("not a literal of this scanner: " + literal);
    }
    return id;
  }

  /** The state to start a scan in. */
  static int start() {
    return 0;
  }

  /**
   * Scans {@code text[from, to)} from {@code state}, setting the bit of every literal found in
   * {@code found}, and returns the state to continue from (so two pieces scan as one text).
   */
  int scan(String text, int from, int to, int state, long[] found) {
    int[] table = delta;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= ALPHABET) {
        state = 0;
        continue;
      }
      state = table[state + c];
      if (state < 0) {
        state = ~state;
        for (int id : outputs[state / ALPHABET]) {
          found[id >>> 6] |= 1L << id;
        }
      }
    }
    return state;
  }

  /** A bit set sized for this scanner's literals. */
  long[] newFoundSet() {
    return new long[(literals.size() + 63) >>> 6];
  }
}
