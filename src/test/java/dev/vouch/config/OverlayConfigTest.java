package dev.vouch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayConfigTest {
  @TempDir Path temp;
  private ConfigDir dir;

  @BeforeEach
  void setUp() {
    dir = new ConfigDir(temp);
  }

  @Test
  void readsSectionsOfTheOverlayWithTheLineOfEachKey() {
    Path conf = dir.write("vouch.conf", """
        [DEFAULT]
        statedir = /var/lib/vouch

        [Definition]
        dbfile = %(statedir)s/vouch
        loglevel = INFO

        [fail2ban]
        socket = /run/fail2ban/fail2ban.sock
        """);
    Path local = dir.write("vouch.local", "[Definition]\nloglevel = DEBUG\n");

    OverlayConfig config = OverlayConfig.read(temp, "vouch");

    assertEquals(List.of(conf, local), config.files());
    assertEquals(List.of("Definition", "fail2ban"), config.sections());
    ConfigSection definition = config.section("Definition").orElseThrow();
    assertEquals(new Origin(conf, 4), definition.origin());
    assertEquals(Map.of(
            "dbfile", new Value("/var/lib/vouch/vouch", new Origin(conf, 5)),
            "loglevel", new Value("DEBUG", new Origin(local, 2))),
        definition.options());
    assertEquals(Optional.empty(), definition.option("statedir"), "DEFAULT is not copied in");
    assertEquals("/var/lib/vouch", config.defaults().get("statedir").text());
    assertEquals(Optional.empty(), config.section("nope"));
  }

  @Test
  void noFilesGiveAnEmptyConfig() {
    OverlayConfig config = OverlayConfig.read(temp, "vouch");

    assertEquals(List.of(), config.files());
    assertEquals(List.of(), config.sections());
  }

  @Test
  void aBadReferenceIsReportedWhenTheSectionIsRead() {
    dir.write("vouch.conf", "[Definition]\ndbfile = %(statedir)s/vouch\n");

    ConfigException error = assertThrows(ConfigException.class,
        () -> OverlayConfig.read(temp, "vouch").section("Definition"));

    assertEquals(dir.at("vouch.conf", 2) + ": [Definition] dbfile: %(statedir)s refers to an"
        + " option that is not set in [Definition] or [DEFAULT]", error.getMessage());
  }
}
