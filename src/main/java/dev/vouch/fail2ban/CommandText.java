package dev.vouch.fail2ban;

import java.util.List;

/** A request as a line of text for messages, like fail2ban-client's arguments, kept short. */
final class CommandText {
  private static final int SHOWN_ARGUMENTS = 6;
  private static final int SHOWN_CHARS = 60;

  private CommandText() {}

  static String of(List<?> command) {
    StringBuilder text = new StringBuilder();
    int shown = Math.min(command.size(), SHOWN_ARGUMENTS);
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        text.append(' ');
      }
      Object argument = command.get(i);
      String word = argument instanceof String s ? s : PythonText.repr(argument);
      text.append(word.length() > SHOWN_CHARS ? word.substring(0, SHOWN_CHARS) + "..." : word);
    }
    if (shown < command.size()) {
      text.append(" ... (").append(command.size()).append(" arguments)");
    }
    return text.toString();
  }
}
