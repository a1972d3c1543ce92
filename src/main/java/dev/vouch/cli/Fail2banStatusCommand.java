package dev.vouch.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vouch.fail2ban.Fail2banClient;
import dev.vouch.fail2ban.Fail2banStatus;
import dev.vouch.fail2ban.StatusEntry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vouch fail2ban status [JAIL]}: as fail2ban-client prints it, or JSON. */
@Command(name = "status",
    description = "fail2ban's status (or a jail's), as fail2ban-client status prints it.",
    footer = {"%nExamples:", "  vouch fail2ban status", "  vouch fail2ban status sshd --format json"})
final class Fail2banStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "JAIL", arity = "0..1")
  String jail;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text")
  String format;

  private final CliContext context;

  Fail2banStatusCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Formats.check(format);
    try (Fail2banClient client = Fail2banPingCommand.client(spec, context)) {
      Fail2banStatus status = jail == null ? client.status() : client.status(jail);
      if (format.equals("json")) {
        JsonObject root = new JsonObject();
        root.addProperty("title", status.title());
        root.add("status", json(status.entries()));
        context.out.print(Render.pretty(root));
      } else {
        context.out.println(status.format());
      }
    }
    return ExitCode.OK;
  }

  private static JsonObject json(List<StatusEntry> entries) {
    JsonObject object = new JsonObject();
    for (StatusEntry entry : entries) {
      object.add(entry.label(), json(entry.value()));
    }
    return object;
  }

  private static JsonElement json(StatusEntry.Value value) {
    if (value instanceof StatusEntry.Text text) {
      return new com.google.gson.JsonPrimitive(text.text());
    }
    if (value instanceof StatusEntry.Count count) {
      return new com.google.gson.JsonPrimitive(count.count());
    }
    if (value instanceof StatusEntry.Items items) {
      JsonArray array = new JsonArray();
      items.items().forEach(array::add);
      return array;
    }
    return json(((StatusEntry.Section) value).entries());
  }
}
