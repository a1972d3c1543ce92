package dev.vouch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "test-filter", description = "Run a filter over a log file or one line.")
final class TestFilterCommand implements Callable<Integer> {
  @ParentCommand VouchCommand root;

  @Override
  public Integer call() {
    System.out.println("conf=" + root.globals.conf());
    return 0;
  }
}
