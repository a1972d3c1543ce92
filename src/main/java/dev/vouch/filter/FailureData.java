package dev.vouch.filter;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * fail2ban's failure data of one match: a regex's named groups and the bookkeeping entries that
 * merging adds, in insertion order (as a Python dict), in arrays. A failure has a dozen entries
 * at most: a look-up tests its hash code's bit (the code is kept in the string) in a 64-bit mask
 * of the keys' (most names looked up are missing), then compares hash codes in one int array,
 * then references, and characters only where those differ. The whole map is four objects, cheap
 * to build on the thread that matched and to read on the one that finishes the line. Null keys
 * are not allowed; null values are (a group that did not take part). Not thread-safe.
 */
final class FailureData extends AbstractMap<String, Object> {
  private String[] keys;
  /** The keys' hash codes, compared first: one array to read for a name that is not there. */
  private int[] hashes;
  /** Bit (hash mod 64) of each key's hash: a name whose bit is clear is not a key. */
  private long present;
  private Object[] values;
  private int size;
  private int changes;

  FailureData(int capacity) {
    keys = new String[Math.max(4, capacity)];
    hashes = new int[keys.length];
    values = new Object[keys.length];
  }

  /** A copy of {@code other}, in its order. */
  FailureData(Map<String, Object> other) {
    this(other.size() + 4);
    if (other instanceof FailureData data) {
      System.arraycopy(data.keys, 0, keys, 0, data.size);
      System.arraycopy(data.hashes, 0, hashes, 0, data.size);
      System.arraycopy(data.values, 0, values, 0, data.size);
      size = data.size;
      present = data.present;
    } else {
      putAll(other);
    }
  }

  private int indexOf(Object key) {
    if (!(key instanceof String)) {
      return -1;
    }
    int hash = key.hashCode(); // kept in the string (the names in code are literals)
    if ((present & (1L << hash)) == 0) {
      return -1; // most look-ups of a missing name end here
    }
    int[] known = hashes;
    for (int i = 0; i < size; i++) {
      if (known[i] == hash && (keys[i] == key || keys[i].equals(key))) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Object get(Object key) {
    int index = indexOf(key);
    return index < 0 ? null : values[index];
  }

  @Override
  public Object put(String key, Object value) {
    int index = indexOf(Objects.requireNonNull(key, "key"));
    if (index >= 0) {
      Object old = values[index];
      values[index] = value;
      return old;
    }
    append(key, value);
    return null;
  }

  /**
   * {@link #put} of a key known to be missing (a regex's group names, which differ), without
   * looking for it first.
   */
  void append(String key, Object value) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      hashes = Arrays.copyOf(hashes, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    hashes[size] = key.hashCode();
    present |= 1L << hashes[size];
    values[size++] = value;
    changes++;
  }

  @Override
  public Object remove(Object key) {
    int index = indexOf(key);
    if (index < 0) {
      return null;
    }
    Object old = values[index];
    removeAt(index);
    return old;
  }

  private void removeAt(int index) {
    int after = size - index - 1;
    System.arraycopy(keys, index + 1, keys, index, after);
    System.arraycopy(hashes, index + 1, hashes, index, after);
    System.arraycopy(values, index + 1, values, index, after);
    size--;
    keys[size] = null;
    values[size] = null;
    present = 0;
    for (int i = 0; i < size; i++) {
      present |= 1L << hashes[i];
    }
    changes++;
  }

  @Override
  public void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
    present = 0;
    changes++;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;
          private int last = -1;
          private int expected = changes;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Entry<String, Object> next() {
            if (expected != changes) {
              throw new ConcurrentModificationException();
            }
            if (next >= size) {
              throw new NoSuchElementException();
            }
            last = next++;
            return new SimpleEntry<>(keys[last], values[last]) {
              @Override
              public Object setValue(Object value) {
                // By key: a removal since may have moved it (or removed it: then, as a
                // LinkedHashMap's entry, it changes nothing in the map).
                int index = indexOf(getKey());
                if (index >= 0) {
                  values[index] = value;
                }
                return super.setValue(value);
              }
            };
          }

          @Override
          public void remove() {
            if (last < 0) {
              throw new IllegalStateException();
            }
            if (expected != changes) {
              throw new ConcurrentModificationException();
            }
            removeAt(last);
            next = last;
            last = -1;
            expected = changes;
          }
        };
      }
    };
  }
}
