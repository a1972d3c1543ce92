package dev.vouch.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vouch.config.ActionReader;
import dev.vouch.config.VouchConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/systemd: the unit and its companion drop-in pass {@code systemd-analyze verify}, and
 * {@code systemd-analyze security --offline} finds the hardening they promise. Standalone, vouch
 * runs as its own user with CAP_NET_ADMIN and CAP_NET_RAW only; in companion mode it keeps no
 * capability at all. The unit can write where the server configuration of the examples and the
 * nftables preset write, and nowhere else it does not name.
 */
class SystemdUnitIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("vouch.project", ".")).toAbsolutePath();
  private static final Path SYSTEMD = PROJECT.resolve("examples/systemd");
  private static final String EXEC = "/usr/local/bin/vouch";

  @TempDir Path dir;

  @BeforeAll
  static void systemdAnalyze() throws Exception {
    assertTrue(NetworkNamespace.host("sh", "-c", "command -v systemd-analyze").ok(),
        "these tests need systemd-analyze: apt-get install -y systemd (.ci/run does)");
  }

  @Test
  void standaloneKeepsOnlyTheFirewallCapabilities() throws Exception {
    Path unit = install(dir.resolve("standalone"), false);
    verify(unit);
    Map<String, Boolean> checks = security(unit);
    List<String> wrong = new ArrayList<>();
    checks.forEach((name, set) -> {
      boolean firewall = name.equals("CapabilityBoundingSet=~CAP_NET_ADMIN")
          || name.equals("CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)");
      if (name.startsWith("CapabilityBoundingSet=~") && set == firewall) {
        wrong.add(name + (firewall ? " (the ban actions need it)" : " (not needed)"));
      }
    });
    assertEquals(List.of(), wrong, "capabilities of the standalone unit: " + checks);
    assertHardened(checks, "User=/DynamicUser=");
  }

  @Test
  void companionModeKeepsNoCapabilityAtAll() throws Exception {
    Path unit = install(dir.resolve("companion"), true);
    verify(unit);
    Map<String, Boolean> checks = security(unit);
    List<String> kept = checks.entrySet().stream()
        .filter(check -> check.getKey().startsWith("CapabilityBoundingSet=~")
            && !check.getValue()).map(Map.Entry::getKey).toList();
    assertEquals(List.of(), kept, "capabilities left in companion mode: " + checks);
    assertHardened(checks, "AmbientCapabilities=");
  }

  @Test
  void writesWhereTheServerConfigurationAndThePresetsWrite() throws Exception {
    List<String> writable = new ArrayList<>();
    for (String line : Files.readAllLines(SYSTEMD.resolve("vouch.service"))) {
      if (line.startsWith("ReadWritePaths=")) {
        writable.addAll(Arrays.asList(line.substring("ReadWritePaths=".length()).split("\\s+")));
      }
    }
    VouchConf server = VouchConf.read(PROJECT.resolve("examples/fail2ban-companion"), PROJECT);
    String lockfile = new ActionReader(List.of(PROJECT.resolve("actions")))
        .read("nftables", "sshd").properties().get("lockfile");
    for (Path path : List.of(server.dbfile(), server.socket(), VouchConf.DEFAULT_DB,
        VouchConf.DEFAULT_SOCKET, Path.of(lockfile))) {
      assertTrue(writable.contains(path.getParent().toString()), path + " is not under"
          + " ReadWritePaths of vouch.service: " + writable);
    }
  }

  /** The unit (and the drop-in) in a directory of their own, the launcher a stub there. */
  private Path install(Path target, boolean companion) throws IOException {
    Files.createDirectories(target);
    Path stub = target.resolve("vouch");
    Files.writeString(stub, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    String unit = Files.readString(SYSTEMD.resolve("vouch.service"), StandardCharsets.UTF_8);
    assertTrue(unit.contains("ExecStart=" + EXEC + " "), unit);
    Path installed = target.resolve("vouch.service");
    // verify checks that the program exists: only its path changes.
    Files.writeString(installed, unit.replace("ExecStart=" + EXEC + " ", "ExecStart=" + stub
        + " "), StandardCharsets.UTF_8);
    if (companion) {
      Path dropIns = Files.createDirectories(target.resolve("vouch.service.d"));
      Files.copy(SYSTEMD.resolve("fail2ban-companion.conf"),
          dropIns.resolve("fail2ban-companion.conf"));
    }
    return installed;
  }

  private void verify(Path unit) throws Exception {
    NetworkNamespace.Result result =
        NetworkNamespace.host("systemd-analyze", "verify", "--man=no", unit.toString());
    List<String> ours = result.output().lines()
        .filter(line -> line.contains(unit.getParent().toString()) || line.contains("vouch"))
        .toList();
    assertEquals(0, result.exit(), "systemd-analyze verify " + unit + ":\n" + result.output());
    assertEquals(List.of(), ours, "systemd-analyze verify warns about the unit");
  }

  /** systemd-analyze security's checks by name, true where the unit passes it. */
  private Map<String, Boolean> security(Path unit) throws Exception {
    NetworkNamespace.Result result = NetworkNamespace.host("systemd-analyze", "security",
        "--offline=true", "--json=short", unit.toString());
    assertEquals(0, result.exit(), result.output());
    Map<String, Boolean> checks = new TreeMap<>();
    for (JsonElement element : JsonParser.parseString(result.output()).getAsJsonArray()) {
      JsonObject check = element.getAsJsonObject();
      if (!check.get("set").isJsonNull()) {
        checks.put(check.get("name").getAsString(), check.get("set").getAsBoolean());
      }
    }
    return checks;
  }

  private static void assertHardened(Map<String, Boolean> checks, String... more) {
    List<String> names = new ArrayList<>(List.of("NoNewPrivileges=", "ProtectSystem=",
        "ProtectHome=", "PrivateTmp=", "PrivateDevices=", "ProtectKernelModules=",
        "ProtectKernelTunables=", "RestrictSUIDSGID=", "CapabilityBoundingSet=~CAP_SYS_ADMIN"));
    names.addAll(List.of(more));
    for (String name : names) {
      assertEquals(Boolean.TRUE, checks.get(name), name + " in " + checks);
    }
  }
}
