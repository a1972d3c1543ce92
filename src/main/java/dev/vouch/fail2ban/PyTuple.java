package dev.vouch.fail2ban;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A Python tuple from a reply. Kept apart from lists because the reply envelope {@code (code,
 * value)} and the {@code (label, value)} pairs of {@code status} are tuples. Items may be null
 * (None).
 */
record PyTuple(List<Object> items) {
  static final PyTuple EMPTY = new PyTuple(List.of());

  PyTuple {
    items = Collections.unmodifiableList(Arrays.asList(items.toArray()));
  }

  static PyTuple of(Object... items) {
    return new PyTuple(Arrays.asList(items));
  }

  int size() {
    return items.size();
  }

  Object get(int index) {
    return items.get(index);
  }

  @Override
  public String toString() {
    return PythonText.repr(this);
  }
}
