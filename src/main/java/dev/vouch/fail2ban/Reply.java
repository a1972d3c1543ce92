package dev.vouch.fail2ban;

import java.nio.file.Path;
import java.util.List;

/**
 * fail2ban's reply envelope (reference §1.4, {@code transmitter.py} {@code proceed} and
 * {@code asyncserver.py} {@code found_terminator}): {@code (0, value)} when the command ran,
 * {@code (1, exception)} when it raised, a bare {@code "ERROR: ..."} str when the request could not
 * be read, {@code ['SHUTDOWN']} when the server is going down.
 */
final class Reply {
  private Reply() {}

  /**
   * The value of a successful reply.
   *
   * @throws UnknownJailException when fail2ban has no such jail
   * @throws Fail2banCommandException when the command raised another exception
   * @throws Fail2banProtocolException for a bare ERROR string or an unexpected shape
   * @throws Fail2banUnreachableException when fail2ban answered that it is shutting down
   */
  static Object value(Object reply, String command, Path socket) {
    if (reply instanceof PyTuple tuple && tuple.size() == 2 && tuple.get(0) instanceof Long code) {
      if (code == 0) {
        return tuple.get(1);
      }
      if (code == 1) {
        throw commandFailure(tuple.get(1), command);
      }
    }
    if (reply instanceof String text && text.startsWith("ERROR:")) {
      throw new Fail2banProtocolException("fail2ban at " + socket + " could not process '" + command
          + "' and answered '" + text + "'. fail2ban could not read the request: this is a bug in"
          + " vouch, or a fail2ban version vouch does not know.");
    }
    if (reply instanceof List<?> list && list.equals(List.of("SHUTDOWN"))) {
      throw new Fail2banUnreachableException(socket, "fail2ban at " + socket
          + " is shutting down and did not run '" + command + "'; vouch syncs again once it is"
          + " back.");
    }
    throw new Fail2banProtocolException("fail2ban at " + socket + " answered '" + command
        + "' with " + abbreviate(PythonText.repr(reply)) + ", which is not a reply of fail2ban's"
        + " protocol ((0, value), (1, exception) or 'ERROR: ...'). Is this fail2ban 1.0?");
  }

  private static Fail2banCommandException commandFailure(Object exception, String command) {
    if (!(exception instanceof PyObject error)) {
      return new Fail2banCommandException(command, PythonText.typeName(exception),
          PythonText.str(exception));
    }
    List<Object> args = error.args().items();
    if (error.name().equals("UnknownJailException") && args.size() == 1) {
      return new UnknownJailException(command, PythonText.str(args.get(0)));
    }
    // Python's str(exception): its one argument, or the tuple of several.
    String message = args.isEmpty() ? "" : args.size() == 1 ? PythonText.str(args.get(0))
        : PythonText.repr(error.args());
    return new Fail2banCommandException(command, error.qualifiedName(), message);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
