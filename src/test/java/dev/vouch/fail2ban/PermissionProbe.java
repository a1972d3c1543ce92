package dev.vouch.fail2ban;

import java.nio.file.Path;

/**
 * Runs {@code ping} against the socket given as the only argument and prints the outcome: {@code
 * OK}, or the exception's simple class name and message on two lines. {@link Fail2banPermissionIT}
 * starts it in a child JVM under another user, since root passes every file permission check.
 */
public final class PermissionProbe {
  private PermissionProbe() {}

  public static void main(String[] args) {
    try (Fail2banClient client = Fail2banClient.at(Path.of(args[0]))) {
      client.ping();
      System.out.println("OK");
    } catch (Fail2banException e) {
      System.out.println(e.getClass().getSimpleName());
      System.out.println(e.getMessage());
    }
  }
}
