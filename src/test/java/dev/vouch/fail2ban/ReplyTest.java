package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {
  private static final Path SOCKET = Path.of("/run/fail2ban/fail2ban.sock");

  @Test
  void zeroCarriesTheValue() {
    assertEquals("pong", Reply.value(PyTuple.of(0L, "pong"), "ping", SOCKET));
    assertEquals(null, Reply.value(PyTuple.of(0L, null), "stop", SOCKET));
  }

  @Test
  void oneCarriesTheExceptionFail2banRaised() {
    PyObject raised = new PyObject("builtins", "ValueError",
        PyTuple.of("list.remove(x): x not in list"));

    Fail2banCommandException error = assertThrows(Fail2banCommandException.class,
        () -> Reply.value(PyTuple.of(1L, raised), "set sshd delignoreip 192.0.2.1", SOCKET));

    assertEquals("builtins.ValueError", error.pythonType());
    assertEquals("list.remove(x): x not in list", error.pythonMessage());
    assertEquals("fail2ban refused 'set sshd delignoreip 192.0.2.1': ValueError:"
        + " list.remove(x): x not in list", error.getMessage());
  }

  @Test
  void anExceptionWithSeveralArgumentsPrintsThemAsATuple() {
    PyObject raised = new PyObject("builtins", "OSError", PyTuple.of(2L, "No such file"));

    Fail2banCommandException error = assertThrows(Fail2banCommandException.class,
        () -> Reply.value(PyTuple.of(1L, raised), "set j addlogpath /x", SOCKET));

    assertEquals("(2, 'No such file')", error.pythonMessage());
  }

  @Test
  void anUnknownJailHasItsOwnException() {
    PyObject raised = new PyObject("fail2ban.exceptions", "UnknownJailException",
        PyTuple.of("nosuch"));

    UnknownJailException error = assertThrows(UnknownJailException.class,
        () -> Reply.value(PyTuple.of(1L, raised), "get nosuch ignoreip", SOCKET));

    assertEquals("nosuch", error.jail());
    assertEquals("fail2ban.exceptions.UnknownJailException", error.pythonType());
    assertTrue(error.getMessage().startsWith("fail2ban has no jail 'nosuch'"), error.getMessage());
  }

  @Test
  void aBareErrorStringIsAProtocolError() {
    Fail2banProtocolException error = assertThrows(Fail2banProtocolException.class,
        () -> Reply.value("ERROR: pickle data was truncated", "garbage", SOCKET));

    assertTrue(error.getMessage().contains("answered 'ERROR: pickle data was truncated'"),
        error.getMessage());
  }

  @Test
  void shutdownMeansFail2banIsGoingAway() {
    Fail2banUnreachableException error = assertThrows(Fail2banUnreachableException.class,
        () -> Reply.value(new ArrayList<>(List.of("SHUTDOWN")), "ping", SOCKET));

    assertEquals(SOCKET, error.socket());
  }

  @Test
  void anyOtherShapeIsAProtocolError() {
    for (Object odd : new Object[] {"pong", PyTuple.of(2L, "x"), PyTuple.of(0L), 5L, null}) {
      Fail2banProtocolException error = assertThrows(Fail2banProtocolException.class,
          () -> Reply.value(odd, "ping", SOCKET));
      assertTrue(error.getMessage().contains("which is not a reply of fail2ban's protocol"),
          error.getMessage());
    }
  }
}
