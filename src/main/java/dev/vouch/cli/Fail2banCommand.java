package dev.vouch.cli;

import picocli.CommandLine.Command;

/** {@code vouch fail2ban}: the fail2ban vouch keeps in step. */
@Command(name = "fail2ban",
    description = "The fail2ban that vouch keeps in step ([fail2ban] socket in vouch.conf).",
    subcommands = {Fail2banPingCommand.class, Fail2banStatusCommand.class,
        Fail2banSyncCommand.class},
    footer = {"%nExamples:", "  vouch fail2ban ping", "  vouch fail2ban status sshd",
        "  vouch fail2ban sync"})
final class Fail2banCommand {}
