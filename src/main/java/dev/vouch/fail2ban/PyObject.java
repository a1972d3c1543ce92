package dev.vouch.fail2ban;

import java.util.Objects;

/**
 * An instance of a Python class from a reply, kept generic: {@code module.name(*args)} and the
 * state that {@code BUILD} gave it (an exception's {@code __dict__}, for instance). The state is
 * set after construction because the memo may already hold this object when {@code BUILD} runs, as
 * in Python.
 */
final class PyObject {
  private final String module;
  private final String name;
  private final PyTuple args;
  private Object state;

  PyObject(String module, String name, PyTuple args) {
    this.module = Objects.requireNonNull(module);
    this.name = Objects.requireNonNull(name);
    this.args = Objects.requireNonNull(args);
  }

  String module() {
    return module;
  }

  String name() {
    return name;
  }

  String qualifiedName() {
    return module + "." + name;
  }

  PyTuple args() {
    return args;
  }

  /** The state from BUILD, or null when there was none. */
  Object state() {
    return state;
  }

  void build(Object newState) {
    state = newState;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PyObject that && module.equals(that.module) && name.equals(that.name)
        && args.equals(that.args) && Objects.equals(state, that.state);
  }

  @Override
  public int hashCode() {
    return Objects.hash(module, name, args);
  }

  @Override
  public String toString() {
    return PythonText.repr(this);
  }
}
