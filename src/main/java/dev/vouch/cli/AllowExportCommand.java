package dev.vouch.cli;

import dev.vouch.allowlist.AllowSource;
import dev.vouch.allowlist.Allowance;
import dev.vouch.control.ControlRequest;
import dev.vouch.control.ControlResponse;
import dev.vouch.daemon.StateAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vouch allow export [FILE]}. */
@Command(name = "export",
    description = "Write the allowlist (not the configuration's ignoreip) to FILE or stdout.",
    footer = {"%nExamples:", "  vouch allow export backup.txt",
        "  vouch allow export --format json > allowlist.json"})
final class AllowExportCommand extends StateCommand {
  @Parameters(paramLabel = "FILE", arity = "0..1")
  String file;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text")
  String format;

  AllowExportCommand(CliContext context) {
    super(context);
  }

  /** The file is written here, by the caller, not by the daemon. */
  @Override
  ControlRequest request() {
    List<String> args = new ArrayList<>(forwardedArgs());
    if (file != null) {
      args.remove(args.lastIndexOf(file));
    }
    return new ControlRequest(args, Optional.empty());
  }

  @Override
  void deliver(ControlResponse response) throws IOException {
    if (file != null && response.exit() == ExitCode.OK) {
      write(response.out());
      context.err.print(response.err());
    } else {
      super.deliver(response);
    }
  }

  @Override
  int run(StateAccess state) throws IOException {
    Formats.check(format);
    record Export(List<Allowance> allowances, java.time.Instant now) {}
    Export export = state.call(view -> new Export(view.allowances(), view.now()));
    List<Allowance> allowances = export.allowances().stream()
        .filter(allowance -> allowance.source() != AllowSource.CONFIG).toList();
    String text = format.equals("json")
        ? Render.pretty(new Render(context.clock.getZone(), export.now()).allowances(allowances))
        : AllowFile.text(allowances, export.now());
    if (file != null && context.state.isEmpty()) {
      write(text);
    } else {
      context.out.print(text);
    }
    return ExitCode.OK;
  }

  private void write(String text) throws IOException {
    Files.writeString(Path.of(file), text, StandardCharsets.UTF_8);
    context.err.println("wrote " + file);
  }
}
