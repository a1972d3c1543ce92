package dev.vouch.jail;

import dev.vouch.allowlist.Allowance;
import java.util.List;

/** What {@code vouch status JAIL} shows of a jail. */
public sealed interface JailStatus {
  String name();

  /** A failure jail. */
  record BanJailStatus(String name, int currentlyFailed, long totalFailed, List<Ban> banned,
      long totalBanned, long spared) implements JailStatus {}

  /** An allow jail: the allowances it granted that are in force. */
  record AllowJailStatus(String name, List<String> allowFor, List<Allowance> allowed,
      long totalGranted) implements JailStatus {}
}
