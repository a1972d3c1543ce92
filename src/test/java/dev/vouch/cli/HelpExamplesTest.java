package dev.vouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every command's {@code --help} ends with examples, and every example is a command line that
 * parses: walks the whole command tree, so a new command without examples fails here.
 */
class HelpExamplesTest {
  private static final CliContext CONTEXT = new CliContext(new PrintWriter(new StringWriter()),
      new PrintWriter(new StringWriter()), new ByteArrayInputStream(new byte[0]),
      Clock.systemUTC(), Path.of("."), Optional.empty());

  @TestFactory
  Stream<DynamicTest> everyCommandHasExamplesThatParse() {
    List<DynamicTest> tests = new ArrayList<>();
    walk(commandLine(), tests);
    assertTrue(tests.size() >= 20, "the walk found only " + tests.size() + " commands");
    return tests.stream();
  }

  /** The names the command line looks its commands up by are the names they are built with. */
  @Test
  void subcommandsAreListedUnderTheirOwnNames() {
    VouchCommand.SUBCOMMANDS.forEach((name, type) -> assertEquals(
        type.getAnnotation(CommandLine.Command.class).name(), name, type.getSimpleName()));
    assertEquals(List.copyOf(VouchCommand.SUBCOMMANDS.keySet()),
        List.copyOf(commandLine().getSubcommands().keySet()));
    for (String name : VouchCommand.SUBCOMMANDS.keySet()) {
      assertEquals(List.of(name),
          List.copyOf(Main.commandLine(CONTEXT, name, "--help").getSubcommands().keySet()));
    }
  }

  private static CommandLine commandLine() {
    return Main.commandLine(CONTEXT);
  }

  private static void walk(CommandLine command, List<DynamicTest> tests) {
    String name = command.getCommandSpec().qualifiedName();
    tests.add(DynamicTest.dynamicTest(name + " --help", () -> checkExamples(command)));
    command.getSubcommands().values().forEach(sub -> walk(sub, tests));
  }

  private static void checkExamples(CommandLine command) {
    String name = command.getCommandSpec().qualifiedName();
    List<String> path = List.of(name.split(" "));
    List<String> args = new ArrayList<>(path.subList(1, path.size()));
    args.add("--help");
    CommandLine root = commandLine();
    StringWriter help = new StringWriter();
    root.setOut(new PrintWriter(help));
    root.setErr(new PrintWriter(help));
    assertEquals(0, root.execute(args.toArray(String[]::new)), name + " --help: " + help);
    assertTrue(help.toString().contains("\nExamples:\n"), name + " --help has no \"Examples:\""
        + " footer:\n" + help);
    // The footer as written: a line the help would wrap is too long for a terminal.
    String[] footer = command.getCommandSpec().usageMessage().footer();
    int width = command.getCommandSpec().usageMessage().width();
    List<String> lines = new ArrayList<>();
    boolean examples = false;
    for (String line : footer) {
      if (line.replace("%n", "").equals("Examples:")) {
        examples = true;
      } else if (examples && !line.isBlank()) {
        assertTrue(line.length() <= width, name + ": an example wider than " + width
            + " columns, which --help wraps: " + line);
        lines.add(line.strip());
      }
    }
    assertFalse(lines.isEmpty(), name + " --help has no example under \"Examples:\"");
    for (String line : lines) {
      boolean ofThisCommand = false;
      for (List<String> example : commands(line)) {
        ofThisCommand |= example.size() >= path.size()
            && example.subList(0, path.size()).equals(path);
        // A fresh model for each parse: picocli keeps the values of the last one.
        CommandLine.ParseResult parsed = commandLine().parseArgs(
            example.subList(1, example.size()).toArray(String[]::new));
        assertEquals(example.size() - 1, parsed.originalArgs().size(), line);
      }
      assertTrue(ofThisCommand, name + ": an example of other commands only: " + line);
    }
  }

  /**
   * The vouch command lines in an example line, as the shell would split them: {@code vouch
   * allow export | ssh host vouch allow import -} is two; a redirection is not an argument.
   */
  static List<List<String>> commands(String line) {
    List<List<String>> commands = new ArrayList<>();
    List<String> current = null;
    for (String word : words(line)) {
      if (List.of("|", "&&", ";", ">", "<").contains(word)) {
        current = null;
        continue;
      }
      if (current == null && (word.equals("vouch") || word.equals("bin/vouch"))) {
        current = new ArrayList<>(List.of("vouch"));
        commands.add(current);
      } else if (current != null) {
        current.add(word);
      }
    }
    assertFalse(commands.isEmpty(), "an example that does not run vouch: " + line);
    return commands;
  }

  /** Splits like a shell: single and double quotes group, and are removed. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
