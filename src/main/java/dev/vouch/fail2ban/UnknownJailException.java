package dev.vouch.fail2ban;

/** fail2ban has no jail of that name ({@code fail2ban.exceptions.UnknownJailException}). */
public final class UnknownJailException extends Fail2banCommandException {
  private final String jail;

  UnknownJailException(String command, String jail) {
    super("fail2ban has no jail '" + jail + "' (asked: '" + command + "'). Check the name against"
        + " 'fail2ban-client status', and that the jail is enabled in fail2ban's jail.local.",
        command, "fail2ban.exceptions.UnknownJailException", jail);
    this.jail = jail;
  }

  /** The jail name fail2ban did not know. */
  public String jail() {
    return jail;
  }
}
