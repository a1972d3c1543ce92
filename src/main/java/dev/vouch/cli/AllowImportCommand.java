package dev.vouch.cli;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Evidence;
import dev.vouch.control.ControlRequest;
import dev.vouch.daemon.StateAccess;
import dev.vouch.net.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  /** What entries granted together share: all but their network. */
  private record Grant(List<String> jails, Optional<Instant> until, Optional<String> note) {}

  @Parameters(paramLabel = "FILE")
  String file;

  /** The file's entries, read and checked once (standard input can be read only once). */
  private List<AllowFile.Entry> entries;
  private String text;

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
    entries();
    return new ControlRequest(args, Optional.of(text));
  }

  private List<AllowFile.Entry> entries() throws IOException {
    if (entries == null) {
      text = read();
      entries = AllowFile.parse(file.equals("-") ? "stdin" : file, text);
    }
    return entries;
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
    // Entries alike but for their network are granted together: one decision, one log line.
    Map<Grant, List<Cidr>> groups = new LinkedHashMap<>();
    for (AllowFile.Entry entry : entries()) {
      groups.computeIfAbsent(new Grant(entry.jails(), entry.until(), entry.note()),
          key -> new ArrayList<>()).add(entry.network());
    }
    int imported = state.call(view -> {
      groups.keySet().forEach(grant -> grant.jails().forEach(view::requireJail));
      int count = 0;
      for (Map.Entry<Grant, List<Cidr>> group : groups.entrySet()) {
        Grant grant = group.getKey();
        count += view.allow(group.getValue(), grant.jails(), grant.until(), AllowSource.IMPORT,
            "", Evidence.note(grant.note().orElse(null))).size();
      }
      return count;
    });
    context.out.println("imported " + imported + " allowance" + (imported == 1 ? "" : "s"));
    return ExitCode.OK;
  }
}
