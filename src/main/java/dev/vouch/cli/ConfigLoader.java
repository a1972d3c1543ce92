package dev.vouch.cli;

import dev.vouch.config.JailConfig;
import dev.vouch.config.JailDefinition;
import dev.vouch.config.JailsReader;
import dev.vouch.config.VouchConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a config directory as the commands need it: settings, then the enabled jails. */
final class ConfigLoader {
  private ConfigLoader() {}

  /** vouch.conf with --db and --socket applied. */
  static VouchConf settings(GlobalOptions globals, Path install) {
    VouchConf conf = VouchConf.read(globals.conf(), install);
    return new VouchConf(conf.configDir(), globals.db().orElse(conf.dbfile()),
        globals.socket().orElse(conf.socket()), conf.socketGroup(), conf.logtarget(),
        conf.loglevel(), conf.filterPath(), conf.actionPath(), conf.dnsRefresh(),
        conf.maxLineLength(), conf.fail2ban());
  }

  /** Every jail definition of the config directory, enabled or not, in order. */
  static List<JailDefinition> definitions(VouchConf conf) {
    if (!Files.isDirectory(conf.configDir())) {
      throw new UsageException("no configuration directory " + conf.configDir()
          + ": give one with -c DIR (for a first look: bin/vouch run -c examples/quickstart"
          + " --replay)");
    }
    return new JailsReader(conf.configDir(), conf.filterSearchPath(), conf.actionSearchPath())
        .read();
  }

  /** The enabled jails, typed. */
  static List<JailConfig> jails(VouchConf conf) {
    return definitions(conf).stream().filter(JailDefinition::enabled).map(JailConfig::of)
        .toList();
  }
}
