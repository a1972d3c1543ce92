package dev.vouch.fail2ban;

/**
 * fail2ban ran the command and it raised a Python exception, which came back as {@code (1, exc)}.
 * Carries the exception's Python type ({@code builtins.ValueError}) and its message.
 */
public class Fail2banCommandException extends Fail2banException {
  private final String command;
  private final String pythonType;
  private final String pythonMessage;

  Fail2banCommandException(String command, String pythonType, String pythonMessage) {
    this("fail2ban refused '" + command + "': " + shortType(pythonType)
            + (pythonMessage.isEmpty() ? "" : ": " + pythonMessage),
        command, pythonType, pythonMessage);
  }

  Fail2banCommandException(
      String message, String command, String pythonType, String pythonMessage) {
    super(message);
    this.command = command;
    this.pythonType = pythonType;
    this.pythonMessage = pythonMessage;
  }

  /** The request as text, e.g. {@code set sshd delignoreip 192.0.2.1}. */
  public String command() {
    return command;
  }

  /** The qualified Python type, e.g. {@code builtins.ValueError}. */
  public String pythonType() {
    return pythonType;
  }

  /** The exception's argument(s) as Python would print them; empty when it had none. */
  public String pythonMessage() {
    return pythonMessage;
  }

  private static String shortType(String pythonType) {
    return pythonType.startsWith("builtins.") ? pythonType.substring("builtins.".length())
        : pythonType;
  }
}
