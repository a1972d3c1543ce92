package dev.vouch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Generates the man page ({@code vouch.1}, troff) and the bash completion script from the command
 * line's own model, so that they always match it. Run by the build:
 * {@code Docs OUTPUT_DIRECTORY}.
 */
public final class Docs {
  private Docs() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target");
    Files.createDirectories(out);
    CliContext context = new CliContext(new PrintWriter(System.out), new PrintWriter(System.err),
        System.in, Clock.systemDefaultZone(), Path.of("."), Optional.empty());
    CommandLine commandLine = Main.commandLine(context);
    Files.writeString(out.resolve("vouch.1"), manPage(commandLine), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("vouch_completion"),
        AutoComplete.bash("vouch", commandLine), StandardCharsets.UTF_8);
  }

  static String manPage(CommandLine root) {
    StringBuilder page = new StringBuilder();
    page.append(".TH VOUCH 1 \"\" \"vouch ").append(VersionProvider.version())
        .append("\" \"User Commands\"\n");
    page.append(".SH NAME\nvouch \\- success-driven allowlisting for fail2ban-style jails\n");
    page.append(".SH SYNOPSIS\n.B vouch\n[\\-c DIR] [\\-\\-db PATH] [\\-\\-socket PATH]"
        + " COMMAND ...\n");
    page.append(".SH DESCRIPTION\n").append(escape(String.join(" ",
        root.getCommandSpec().usageMessage().description()))).append('\n');
    page.append(".PP\nExit status: 0 done or yes; 1 no, or a failure; 2 usage or configuration"
        + " error; 3 the daemon or fail2ban could not be reached.\n");
    page.append(".SH GLOBAL OPTIONS\n");
    options(root.getCommandSpec(), page);
    page.append(".SH COMMANDS\n");
    for (CommandLine command : root.getSubcommands().values()) {
      command(command, "", page);
    }
    page.append(".SH FILES\n.TP\n/etc/vouch/vouch.conf, jail.conf, jail.local, jail.d/\n"
        + "configuration, in fail2ban's format\n.TP\n/var/lib/vouch/vouch.*\nthe database\n"
        + ".TP\n/run/vouch/vouch.sock\nthe control socket\n");
    page.append(".SH SEE ALSO\n.BR fail2ban (1),\n.BR jail.conf (5)\n");
    return page.toString();
  }

  private static void command(CommandLine command, String parent, StringBuilder page) {
    CommandSpec spec = command.getCommandSpec();
    if (spec.subcommands().isEmpty() || !spec.positionalParameters().isEmpty()) {
      page.append(".SS ").append(escape(parent + spec.name()));
      for (PositionalParamSpec positional : spec.positionalParameters()) {
        page.append(' ').append(escape(positional.paramLabel()));
      }
      page.append('\n');
      page.append(escape(String.join(" ", spec.usageMessage().description()))).append('\n');
      options(spec, page);
      List<String> footer = List.of(spec.usageMessage().footer());
      if (!footer.isEmpty()) {
        page.append(".PP\n.nf\n");
        for (String line : footer) {
          page.append(escape(line.replace("%n", ""))).append('\n');
        }
        page.append(".fi\n");
      }
    }
    for (CommandLine sub : command.getSubcommands().values()) {
      command(sub, parent + spec.name() + " ", page);
    }
  }

  private static void options(CommandSpec spec, StringBuilder page) {
    for (OptionSpec option : spec.options()) {
      if (option.hidden() || option.inherited()) {
        continue;
      }
      page.append(".TP\n.B ").append(escape(String.join(", ", option.names())));
      if (option.arity().max() > 0 && !option.paramLabel().isEmpty()) {
        page.append(' ').append(escape(option.paramLabel()));
      }
      page.append('\n').append(escape(String.join(" ", option.description())
          .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue())))).append('\n');
    }
  }

  private static String escape(String text) {
    String escaped = text.replace("\\", "\\\\").replace("-", "\\-");
    return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
  }
}
