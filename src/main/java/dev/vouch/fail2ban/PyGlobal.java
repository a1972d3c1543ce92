package dev.vouch.fail2ban;

/** A reference to a Python class or function ({@code STACK_GLOBAL} or {@code GLOBAL}). */
record PyGlobal(String module, String name) {
  /** {@code builtins.str}, as Python 3 names it, or {@code __builtin__.str} in protocol 2. */
  boolean is(String builtinName) {
    return name.equals(builtinName) && (module.equals("builtins") || module.equals("__builtin__"));
  }

  String qualifiedName() {
    return module + "." + name;
  }
}
