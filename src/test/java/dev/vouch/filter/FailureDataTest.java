package dev.vouch.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FailureDataTest {
  /** Random puts, removals and replacements agree with a LinkedHashMap, order included. */
  @Test
  void behavesAsAnInsertionOrderedMap() {
    Random random = new Random(7);
    List<String> names = List.of("ip4", "user", "mlfid", "nofail", "matches", "users", "fid",
        "dns", "ip6", "cidr", "mlfpending", "nofail-matches", "content", "alt_user", "x");
    for (int round = 0; round < 200; round++) {
      Map<String, Object> expected = new LinkedHashMap<>();
      Map<String, Object> data = new FailureData(2);
      for (int step = 0; step < 60; step++) {
        // A key made anew half the time: a look-up must not rely on interned names only.
        String name = names.get(random.nextInt(names.size()));
        String key = random.nextBoolean() ? name : new String(name.toCharArray());
        switch (random.nextInt(4)) {
          case 0, 1 -> {
            Object value = random.nextInt(3) == 0 ? null : "v" + step;
            assertEquals(expected.put(key, value), data.put(key, value), key);
          }
          case 2 -> assertEquals(expected.remove(key), data.remove(key), key);
          default -> {
            assertEquals(expected.containsKey(key), data.containsKey(key), key);
            assertEquals(expected.get(key), data.get(key), key);
          }
        }
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(data.entrySet()));
      }
      assertEquals(expected, data);
      assertEquals(data, new FailureData(data));
      assertEquals(expected, new FailureData(expected));
    }
  }

  @Test
  void appendedNamesAreFoundInOrder() {
    FailureData data = new FailureData(1);
    List<String> names = List.of("mlfid", "ip4", "user", "ip6", "dns", "fid", "nofail");
    for (String name : names) {
      data.append(name, name.toUpperCase());
    }
    assertEquals(names, new ArrayList<>(data.keySet()));
    for (String name : names) {
      assertEquals(name.toUpperCase(), data.get(new String(name.toCharArray())));
    }
  }

  @Test
  void aCopyIsItsOwn() {
    FailureData data = new FailureData(4);
    data.put("ip4", "192.0.2.1");
    data.put("user", "root");
    FailureData copy = new FailureData(data);
    copy.put("user", "admin");
    copy.remove("ip4");
    assertEquals(Map.of("ip4", "192.0.2.1", "user", "root"), data);
    assertEquals(Map.of("user", "admin"), copy);
  }

  @Test
  void iteratorRemovesAndSetsInPlaceAndFailsFastOnOtherChanges() {
    FailureData data = new FailureData(4);
    data.put("a", 1);
    data.put("b", 2);
    data.put("c", 3);
    Iterator<Map.Entry<String, Object>> entries = data.entrySet().iterator();
    assertThrows(IllegalStateException.class, entries::remove);
    entries.next();
    entries.remove();
    entries.next().setValue(20);
    assertEquals(List.of("b", "c"), new ArrayList<>(data.keySet()));
    assertEquals(20, data.get("b"));
    data.put("d", 4);
    assertThrows(ConcurrentModificationException.class, entries::next);
    data.clear();
    assertTrue(data.isEmpty());
    assertFalse(data.containsKey("b"));
    assertNull(data.get("b"));
    assertThrows(NullPointerException.class, () -> data.put(null, 1));
  }
}
