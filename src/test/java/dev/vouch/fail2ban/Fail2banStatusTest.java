package dev.vouch.fail2ban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Fail2banStatusTest {

  @Test
  void formatsTheServerStatusLikeFail2banClient() {
    Fail2banStatus status = Fail2banStatus.of("Status", list(
        PyTuple.of("Number of jail", 2L), PyTuple.of("Jail list", "second, testjail")));

    assertEquals("Status\n|- Number of jail:\t2\n`- Jail list:\tsecond, testjail", status.format());
    assertEquals(Optional.of(new StatusEntry.Count(2)), status.value("Number of jail"));
  }

  @Test
  void formatsAJailStatusWithItsSections() {
    Fail2banStatus status = Fail2banStatus.of("Status for the jail: testjail", list(
        PyTuple.of("Filter", list(PyTuple.of("Currently failed", 0L),
            PyTuple.of("Total failed", 5L), PyTuple.of("File list", list("/var/log/a.log")))),
        PyTuple.of("Actions", list(PyTuple.of("Currently banned", 2L),
            PyTuple.of("Total banned", 2L),
            PyTuple.of("Banned IP list", list("192.0.2.5", "2001:db8::5"))))));

    assertEquals("""
        Status for the jail: testjail
        |- Filter
        |  |- Currently failed:\t0
        |  |- Total failed:\t5
        |  `- File list:\t/var/log/a.log
        `- Actions
           |- Currently banned:\t2
           |- Total banned:\t2
           `- Banned IP list:\t192.0.2.5 2001:db8::5""", status.format());
    assertEquals(Optional.of(new StatusEntry.Items(List.of("192.0.2.5", "2001:db8::5"))),
        status.value("Actions", "Banned IP list"));
    assertEquals(Optional.empty(), status.value("Actions", "Nothing"));
    assertEquals(Optional.empty(), status.value("Filter", "Total failed", "deeper"));
  }

  @Test
  void anEmptyListIsAnEmptyItemList() {
    Fail2banStatus status = Fail2banStatus.of("Status", list(PyTuple.of("Banned IP list", list())));

    assertEquals("Status\n`- Banned IP list:\t", status.format());
  }

  @Test
  void refusesAnotherShape() {
    Fail2banProtocolException error = assertThrows(Fail2banProtocolException.class,
        () -> Fail2banStatus.of("Status", list("just text")));

    assertEquals("fail2ban's status is not a list of (label, value) pairs: ['just text']",
        error.getMessage());
  }

  private static List<Object> list(Object... items) {
    return new ArrayList<>(List.of(items));
  }
}
