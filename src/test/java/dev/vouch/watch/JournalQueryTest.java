package dev.vouch.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** journalmatch and backend options into journalctl's arguments and a position key. */
class JournalQueryTest {
  @Test
  void plusSeparatesAlternativeGroups() {
    JournalQuery query = JournalQuery.of(List.of("_SYSTEMD_UNIT=sshd.service + _COMM=sshd"),
        Map.of());
    assertEquals(List.of(List.of("_SYSTEMD_UNIT=sshd.service"), List.of("_COMM=sshd")),
        query.groups());
    assertEquals(List.of("--merge", "--system", "--", "_SYSTEMD_UNIT=sshd.service", "+",
        "_COMM=sshd"), query.selection());
    assertEquals("journal:_SYSTEMD_UNIT=sshd.service + _COMM=sshd", query.key());
  }

  @Test
  void everyLineIsAnAlternativeAndEmptyGroupsAddNothing() {
    JournalQuery query = JournalQuery.of(List.of("+ _SYSTEMD_UNIT=a.service PRIORITY=5 + +",
        "_COMM='my daemon'"), Map.of());
    assertEquals(List.of(List.of("_SYSTEMD_UNIT=a.service", "PRIORITY=5"),
        List.of("_COMM=my daemon")), query.groups());
    assertEquals("_SYSTEMD_UNIT=a.service PRIORITY=5 + _COMM=my daemon", query.matchText());
  }

  @Test
  void backendOptionsChooseTheJournal() {
    JournalQuery query = JournalQuery.of(List.of("_COMM=sshd"), Map.of("journalpath",
        "/var/log/journal/remote", "journalflags", "1", "journalctl", "/opt/journalctl"));
    assertEquals(List.of("--directory=/var/log/journal/remote", "--merge", "--", "_COMM=sshd"),
        query.selection());
    assertEquals("/opt/journalctl", query.journalctl());
    assertEquals("journal[journalpath=/var/log/journal/remote, journalflags=1]:_COMM=sshd",
        query.key());
    JournalQuery files = JournalQuery.of(List.of(), Map.of("journalfiles", "/a/*.journal /b"));
    assertEquals(List.of("--file=/a/*.journal", "--file=/b", "--merge", "--"),
        files.selection());
    JournalQuery user = JournalQuery.of(List.of(), Map.of("journalflags", "9",
        "namespace", "web"));
    assertEquals(List.of("--namespace=web", "--user", "--"), user.selection());
  }

  @Test
  void wrongMatchesAndOptionsSayWhatIsExpected() {
    String term = assertThrows(IllegalArgumentException.class,
        () -> JournalQuery.of(List.of("/usr/sbin/sshd"), Map.of())).getMessage();
    assertTrue(term.contains("expected FIELD=value terms"), term);
    assertThrows(IllegalArgumentException.class,
        () -> JournalQuery.of(List.of("--since=yesterday"), Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> JournalQuery.of(List.of("_comm=sshd"), Map.of()));
    String quote = assertThrows(IllegalArgumentException.class,
        () -> JournalQuery.of(List.of("_COMM='sshd"), Map.of())).getMessage();
    assertTrue(quote.contains("no closing quotation"), quote);
    String option = assertThrows(IllegalArgumentException.class,
        () -> JournalQuery.of(List.of(), Map.of("journalpth", "/x"))).getMessage();
    assertTrue(option.contains("no option journalpth"), option);
    String flags = assertThrows(IllegalArgumentException.class,
        () -> JournalQuery.of(List.of(), Map.of("journalflags", "2"))).getMessage();
    assertTrue(flags.contains("journalflags"), flags);
  }

  @Test
  void splitsWordsAsShlexDoes() {
    assertEquals(List.of("a b", "c\"d", "e\\f", "g h", "", "i#j"),
        ShellWords.split("'a b' \"c\\\"d\" \"e\\f\" g\\ h \"\" i#j"));
  }
}
