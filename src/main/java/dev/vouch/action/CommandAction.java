package dev.vouch.action;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An action from an action.d file, with fail2ban's lifecycle ({@code CommandAction}): an action
 * with family-specific values ({@code [Init?family=inet6]}) starts on demand, per family, at its
 * first ban; others start with the jail. A failing ban or unban runs {@code actioncheck} and
 * {@code actionrepair} (or stop and start) and is tried once more. Unban only runs for a family
 * that has bans; stop runs {@code actionstop} once per distinct command. Confined to the jail's
 * action worker.
 */
final class CommandAction implements Action {
  private static final System.Logger LOG = System.getLogger("vouch.action");
  private static final int STARTED = 1;
  private static final int HAS_BANS = 2;

  private final ActionSpec spec;
  private final String jail;
  private final CommandRunner runner;
  private final Duration timeout;
  private final boolean onDemand;
  private final boolean repairOnUnban;
  private final List<String> families;
  /** Family ("" for an action without family variants) to STARTED | HAS_BANS. */
  private final Map<String, Integer> started = new LinkedHashMap<>();
  /** Per operation, the command last run successfully for each family (to run each once). */
  private final Map<String, Map<String, String>> executed = new HashMap<>();

  CommandAction(ActionSpec spec, String jail, CommandRunner runner) {
    this.spec = spec;
    this.jail = jail;
    this.runner = runner;
    Map<String, String> properties = spec.properties();
    this.timeout = Duration.ofMillis(Math.round(1000 * seconds(properties.getOrDefault("timeout", "60"))));
    String onDemandValue = properties.get("actionstart_on_demand");
    this.onDemand = onDemandValue == null ? spec.hasFamilyVariants() : isTrue(onDemandValue);
    this.repairOnUnban = isTrue(properties.getOrDefault("actionrepair_on_unban", "false"));
    this.families = spec.hasFamilyVariants() ? List.of("inet4", "inet6") : List.of("");
  }

  @Override
  public String name() {
    return spec.actname();
  }

  boolean skipsRestored() {
    return isTrue(spec.properties().getOrDefault("norestored", "false"));
  }

  @Override
  public void start() {
    if (!onDemand) {
      startFamilies(families);
    }
  }

  private boolean startFamilies(List<String> which) {
    return operation("actionstart", "starting", which, (family, ok) -> {
      if (ok) {
        forget("actionstop", family);
        started.put(family, STARTED);
      }
    });
  }

  @Override
  public boolean ban(ActionTicket ticket) {
    String family = ticket.family();
    if (onDemand && started.getOrDefault(family, 0) == 0) {
      startFamilies(List.of(family));
    }
    boolean ok = processCommand("actionban", ticket);
    if (ok) {
      started.merge(family, STARTED | HAS_BANS, (a, b) -> a | b);
    }
    return ok;
  }

  @Override
  public boolean unban(ActionTicket ticket) {
    if ((started.getOrDefault(ticket.family(), 0) & HAS_BANS) == 0) {
      return true;
    }
    return processCommand("actionunban", ticket);
  }

  @Override
  public boolean flush() {
    List<String> withBans = started.entrySet().stream()
        .filter(entry -> (entry.getValue() & (STARTED | HAS_BANS)) == (STARTED | HAS_BANS))
        .map(Map.Entry::getKey).toList();
    if (withBans.isEmpty()) {
      return true;
    }
    if (command("actionflush", withBans.get(0)).isBlank()) {
      return false;
    }
    return operation("actionflush", "flushing", withBans, (family, ok) -> {
      if (ok && started.containsKey(family)) {
        started.put(family, started.get(family) & ~HAS_BANS);
      }
    });
  }

  @Override
  public void stop() {
    List<String> running = started.entrySet().stream().filter(entry -> entry.getValue() != 0)
        .map(Map.Entry::getKey).toList();
    started.clear();
    if (!running.isEmpty()) {
      operation("actionstop", "stopping", running, (family, ok) -> {
        if (ok) {
          forget("actionstart", family);
        }
      });
    }
  }

  /** fail2ban's {@code _executeOperation}: runs an operation for each family, each command once. */
  private boolean operation(String tag, String doing, List<String> which,
      BiConsumer<String, Boolean> after) {
    boolean all = true;
    for (String family : which) {
      String command = command(tag, family);
      boolean ok = true;
      Map<String, String> done = executed.computeIfAbsent(tag, key -> new HashMap<>());
      boolean ranForOther = done.entrySet().stream()
          .anyMatch(entry -> !entry.getKey().equals(family) && entry.getValue().equals(command));
      if (!command.isBlank() && !ranForOther) {
        Map<String, String> values = Map.of("family", family,
            "time", ActionTags.pythonFloat(System.currentTimeMillis() / 1000.0));
        ok = execute(ActionTags.replaceDynamic(command, values::get, Map.of()), doing);
        all &= ok;
      }
      after.accept(family, ok);
      if (ok && !command.isBlank()) {
        done.put(family, command);
      } else {
        done.remove(family);
      }
    }
    return all;
  }

  private void forget(String tag, String family) {
    Map<String, String> done = executed.get(tag);
    if (done != null) {
      String command = done.remove(family);
      if (command != null) {
        done.values().removeIf(command::equals);
      }
    }
  }

  /** fail2ban's {@code _processCmd}: run, and on failure check/repair and run once more. */
  private boolean processCommand(String tag, ActionTicket ticket) {
    String family = ticket.family();
    String template = command(tag, family);
    if (template.isBlank()) {
      return true;
    }
    TicketValues values = new TicketValues(ticket);
    for (int attempt = 0; ; attempt++) {
      if (attempt > 0 && !command("actioncheck", family).isBlank()) {
        int check = invariantCheck(family, tag.equals("actionunban"));
        if (check != 1) {
          return false;
        }
      }
      boolean ok = execute(ActionTags.replaceDynamic(template, values, ticket.fields()),
          tag.substring("action".length()) + "ning " + ticket.network());
      if (ok || attempt >= 1) {
        return ok;
      }
    }
  }

  /** 1: fine (or repaired), 0: broken, -1: not to be repaired. */
  private int invariantCheck(String family, boolean forUnban) {
    if (forUnban && !started.containsKey(family)) {
      return 1;
    }
    String check = command("actioncheck", family);
    if (check.isBlank() || execute(new ActionTags.ShellCommand(check, List.of()), "checking")) {
      return 1;
    }
    if (forUnban && !repairOnUnban) {
      LOG.log(Level.ERROR, "[{0}] {1}: invariant check failed; unban is impossible", jail,
          name());
      return -1;
    }
    LOG.log(Level.ERROR, "[{0}] {1}: invariant check failed; trying to restore a sane"
        + " environment", jail, name());
    String repair = command("actionrepair", family);
    if (!repair.isBlank()) {
      if (!execute(new ActionTags.ShellCommand(repair, List.of()), "repairing")) {
        started.put(family, 0);
        LOG.log(Level.ERROR, "[{0}] {1}: unable to restore the environment", jail, name());
        return 0;
      }
      started.put(family, STARTED);
    } else {
      String stop = command("actionstop", family);
      if (!stop.isBlank()) {
        execute(new ActionTags.ShellCommand(stop, List.of()), "stopping");
      }
      started.remove(family);
      startFamilies(List.of(family));
    }
    if (started.getOrDefault(family, 0) != 0
        && !execute(new ActionTags.ShellCommand(check, List.of()), "checking")) {
      LOG.log(Level.ERROR, "[{0}] {1}: unable to restore the environment", jail, name());
      return 0;
    }
    return 1;
  }

  private String command(String tag, String family) {
    String template = spec.properties().get(tag);
    if (template == null || template.isBlank()) {
      return "";
    }
    return ActionTags.replaceStatic(template, spec.properties(), family).strip();
  }

  private boolean execute(ActionTags.ShellCommand command, String doing) {
    CommandRunner.Result result = runner.run(command, timeout);
    if (result.ok()) {
      LOG.log(Level.DEBUG, "[{0}] {1}: {2}: ok{3}", jail, name(), doing,
          result.output().isEmpty() ? "" : ": " + result.output());
      return true;
    }
    LOG.log(Level.ERROR, "[{0}] {1}: {2} failed ({3}){4}", jail, name(), doing,
        result.timedOut() ? "timed out after " + timeout.toSeconds() + "s"
            : "exit code " + result.exitCode(),
        result.output().isEmpty() ? "" : ": " + result.output());
    return false;
  }

  static boolean isTrue(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "1", "on", "true", "yes" -> true;
      default -> false;
    };
  }

  /** A timeout value: plain seconds, or fail2ban's time units. */
  private static double seconds(String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("timeout: expected seconds. Found: " + value);
    }
  }
}
