package dev.vouch.control;

import java.util.List;
import java.util.Optional;

/**
 * A command for the daemon: its arguments as typed (after the global options), and the content
 * of standard input when the command reads it ({@code allow import -}).
 */
public record ControlRequest(List<String> argv, Optional<String> stdin) {
  public ControlRequest {
    argv = List.copyOf(argv);
  }
}
