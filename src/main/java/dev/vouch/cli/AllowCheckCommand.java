package dev.vouch.cli;

import com.google.gson.JsonObject;
import dev.vouch.allowlist.Allowance;
import dev.vouch.daemon.StateAccess;
import dev.vouch.jail.EngineView;
import dev.vouch.net.IpAddress;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vouch allow check}: exit 0 when allowed, 1 when not. */
@Command(name = "check",
    description = {"Is this address allowed (for a jail, or for any)? Exit 0 when it is, 1 when"
        + " not; prints the allowance that matched."},
    footer = {"%nExamples:", "  vouch allow check 198.51.100.4 --jail sshd",
        "  vouch allow check 2001:db8::17 --format json"})
final class AllowCheckCommand extends StateCommand {
  @Parameters(paramLabel = "ADDR")
  String address;

  @Option(names = "--jail", paramLabel = "JAIL")
  String jail;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text")
  String format;

  AllowCheckCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(StateAccess state) {
    Formats.check(format);
    IpAddress ip = Targets.address(address);
    record Answer(Optional<Allowance> allowance, java.time.Instant now) {}
    Answer answer = state.call(view -> {
      if (jail != null) {
        view.requireJail(jail);
      }
      return new Answer(view.check(ip, Optional.ofNullable(jail)), view.now());
    });
    Render render = new Render(context.clock.getZone(), answer.now());
    if (format.equals("json")) {
      JsonObject object = new JsonObject();
      object.addProperty("address", ip.toString());
      if (jail == null) {
        object.add("jail", com.google.gson.JsonNull.INSTANCE);
      } else {
        object.addProperty("jail", jail);
      }
      object.addProperty("allowed", answer.allowance().isPresent());
      object.add("allowance", answer.allowance().map(a -> (com.google.gson.JsonElement)
          render.json(a)).orElse(com.google.gson.JsonNull.INSTANCE));
      context.out.print(Render.pretty(object));
    } else if (answer.allowance().isPresent()) {
      Allowance allowance = answer.allowance().get();
      context.out.println(ip + " is allowed for " + (jail == null ? allowance.scope() : jail)
          + " by " + allowance.network() + " (" + Render.origin(allowance) + "), "
          + render.left(allowance.expires()));
    } else {
      context.out.println(ip + " is not allowed" + (jail == null ? "" : " for " + jail));
    }
    return answer.allowance().isPresent() ? ExitCode.OK : ExitCode.NEGATIVE;
  }
}
