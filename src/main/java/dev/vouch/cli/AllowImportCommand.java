package dev.vouch.cli;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Evidence;
import dev.vouch.control.ControlRequest;
import dev.vouch.daemon.StateAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vouch allow import FILE}: all or nothing. */
@Command(name = "import",
    description = {"Import allowances from a file (text: one per line, or JSON as allow"
        + " export writes it); - reads standard input. A bad line stops the import with its"
        + " line number and nothing is imported."},
    footer = {"%nExamples:", "  vouch allow import offices.txt",
        "  vouch allow export | ssh other-host vouch allow import -"})
final class AllowImportCommand extends StateCommand {
  @Parameters(paramLabel = "FILE")
  String file;

  AllowImportCommand(CliContext context) {
    super(context);
  }

  /**
   * The daemon may not read the caller's files: the content travels with the request, checked
   * here first, so that a bad line is reported with this file's name, as without the daemon.
   */
  @Override
  ControlRequest request() throws IOException {
    List<String> args = new ArrayList<>(forwardedArgs());
    args.set(args.lastIndexOf(file), "-");
    String text = read();
    AllowFile.parse(name(), text);
    return new ControlRequest(args, Optional.of(text));
  }

  private String name() {
    return file.equals("-") ? "stdin" : file;
  }

  private String read() throws IOException {
    if (file.equals("-")) {
      return new String(context.in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UsageException("no such file: " + file);
    }
  }

  @Override
  int run(StateAccess state) throws IOException {
    List<AllowFile.Entry> entries = AllowFile.parse(name(), read());
    int imported = state.call(view -> {
      for (AllowFile.Entry entry : entries) {
        entry.jails().forEach(view::requireJail);
      }
      int count = 0;
      for (AllowFile.Entry entry : entries) {
        count += view.allow(List.of(entry.network()), entry.jails(), entry.until(),
            AllowSource.IMPORT, "", Evidence.note(entry.note().orElse(null))).size();
      }
      return count;
    });
    context.out.println("imported " + imported + " allowance" + (imported == 1 ? "" : "s"));
    return ExitCode.OK;
  }
}
