package dev.vouch.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, before or after its name ({@code vouch -c DIR run} and
 * {@code vouch run -c DIR} are the same). Confined to the thread that runs the command.
 */
final class GlobalOptions {
  static final Path DEFAULT_CONF = Path.of("/etc/vouch");

  private Path conf = DEFAULT_CONF;
  private Path db;
  private Path socket;

  @Option(names = {"-c", "--conf"}, paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Configuration directory (default: ${DEFAULT-VALUE}).",
      defaultValue = "/etc/vouch")
  void setConf(Path conf) {
    this.conf = conf;
  }

  @Option(names = "--db", paramLabel = "PATH", scope = ScopeType.INHERIT,
      description = "Database file, overriding dbfile in vouch.conf.")
  void setDb(Path db) {
    this.db = db;
  }

  @Option(names = "--socket", paramLabel = "PATH", scope = ScopeType.INHERIT,
      description = "Control socket, overriding socket in vouch.conf.")
  void setSocket(Path socket) {
    this.socket = socket;
  }

  Path conf() {
    return conf;
  }

  Optional<Path> db() {
    return Optional.ofNullable(db);
  }

  Optional<Path> socket() {
    return Optional.ofNullable(socket);
  }
}
