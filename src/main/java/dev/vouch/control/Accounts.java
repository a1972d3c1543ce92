package dev.vouch.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** This process's uid and group ids by name, from /proc and /etc/group (Linux). */
public final class Accounts {
  private Accounts() {}

  /** The real uid of this process. */
  public static int uid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Falls through: without /proc only root is recognised.
    }
    return 0;
  }

  /** The gid of group {@code name}, if /etc/group has it. */
  public static Optional<Integer> gid(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/group"))) {
        String[] fields = line.split(":", -1);
        if (fields.length >= 3 && fields[0].equals(name)) {
          return Optional.of(Integer.parseInt(fields[2]));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // An unreadable /etc/group: no group.
    }
    return Optional.empty();
  }
}
