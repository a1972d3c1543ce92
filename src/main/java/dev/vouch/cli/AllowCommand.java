package dev.vouch.cli;

import picocli.CommandLine.Command;

/** {@code vouch allow}: the allowlist by hand. */
@Command(name = "allow",
    description = "Manage the allowlist by hand: add, remove, list, check, import, export, prune.",
    subcommands = {AllowAddCommand.class, AllowRemoveCommand.class, AllowListCommand.class,
        AllowCheckCommand.class, AllowImportCommand.class, AllowExportCommand.class,
        AllowPruneCommand.class},
    footer = {"%nExamples:",
        "  vouch allow add 192.0.2.0/24 --ttl 7d --note 'office of a colleague'",
        "  vouch allow check 198.51.100.4 --jail sshd",
        "  vouch allow list --format json"})
final class AllowCommand {}
