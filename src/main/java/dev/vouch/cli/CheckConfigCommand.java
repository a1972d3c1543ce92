package dev.vouch.cli;

import dev.vouch.config.JailConfig;
import dev.vouch.config.JailDefinition;
import dev.vouch.config.VouchConf;
import dev.vouch.daemon.Filters;
import dev.vouch.daemon.JournalQueries;
import dev.vouch.filter.Filter;
import dev.vouch.watch.JournalQuery;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code vouch check-config}: reads everything a run would, and prints the resolved jails. */
@Command(name = "check-config",
    description = {"Read the configuration as vouch run would and print the resolved jails;"
        + " exit 2 with file:line on an error."},
    footer = {"%nExamples:", "  vouch check-config", "  vouch check-config -c examples/quickstart"})
final class CheckConfigCommand implements Callable<Integer> {
  @ParentCommand VouchCommand root;

  private final CliContext context;

  CheckConfigCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    VouchConf conf = ConfigLoader.settings(root.globals, context.install);
    var out = context.out;
    out.println("configuration: " + conf.configDir());
    out.println("database:      " + conf.dbfile());
    out.println("socket:        " + conf.socket());
    out.println("fail2ban:      " + conf.fail2ban().socket() + " (sync "
        + conf.fail2ban().sync().map(on -> on ? "on" : "off").orElse("auto") + ", every "
        + conf.fail2ban().syncInterval().toSeconds() + "s)");
    List<JailDefinition> definitions = ConfigLoader.definitions(conf);
    int enabled = 0;
    for (JailDefinition definition : definitions) {
      if (!definition.enabled()) {
        continue;
      }
      enabled++;
      JailConfig jail = JailConfig.of(definition);
      out.println();
      out.println("[" + jail.name() + "] " + (jail.kind() == JailConfig.Kind.ALLOW
          ? "allow jail: vouches for " + String.join(" ", jail.allowFor()) + " for "
              + describe(jail.allowtime().seconds()) + " after " + jail.maxretry() + " success"
              + (jail.maxretry() == 1 ? "" : "es") + ", allowprefix " + jail.allowPrefix()
          : "ban jail: " + jail.maxretry() + " failures within "
              + describe(jail.findtime().seconds()) + " ban for "
              + describe(jail.bantime().seconds())
              + (jail.banTime().increment() ? " (bantime.increment)" : "")));
      jail.filter().ifPresent(filter -> out.println("  filter:  " + filter.name() + " ("
          + filter.file() + ")"));
      Optional<JournalQuery> journal = JournalQueries.of(jail);
      if (journal.isPresent()) {
        out.println("  backend: " + jail.backend().strip());
        out.println("  journal: " + (journal.get().groups().isEmpty()
            ? "every entry (no journalmatch: set one to read only the service's entries)"
            : journal.get().matchText()));
      } else {
        jail.logpaths().forEach(path -> out.println("  logpath: " + path.path()
            + (path.tail() ? " tail" : "")));
        if (jail.logpaths().isEmpty()) {
          out.println("  logpath: (none)");
        }
      }
      jail.actions().forEach(action -> out.println("  action:  " + action.actname() + " ("
          + action.file() + ")"));
      jail.logActions().forEach(path -> out.println("  action:  log (built in) -> " + path));
      if (!jail.ignoreip().isEmpty()) {
        out.println("  ignoreip: " + String.join(" ",
            jail.ignoreip().stream().map(value -> value.text()).toList()));
      }
      if (jail.filter().isPresent()) {
        Filter filter = Filters.compile(jail.filter().get(), jail.usedns(), Optional.empty(),
            jail.logtimezone(), java.time.Year.now(context.clock));
        for (Filter.RegexReport report : filter.describe()) {
          out.printf("  %s %d: %s%s%n", report.kind(), report.index() + 1, report.engine(),
              report.linear() ? "" : " (" + report.origin() + ")");
        }
      } else {
        throw new UsageException("[" + jail.name() + "] has no filter");
      }
    }
    out.println();
    out.println(enabled + " jail" + (enabled == 1 ? "" : "s") + " enabled; configuration OK");
    return ExitCode.OK;
  }

  static String describe(double seconds) {
    if (seconds < 0) {
      return "ever";
    }
    long whole = Math.round(seconds);
    if (whole % 86400 == 0) {
      return whole / 86400 + "d";
    }
    if (whole % 3600 == 0) {
      return whole / 3600 + "h";
    }
    if (whole % 60 == 0) {
      return whole / 60 + "m";
    }
    return whole + "s";
  }
}
