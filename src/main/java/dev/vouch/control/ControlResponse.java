package dev.vouch.control;

/** What a command printed on each stream and its exit code. */
public record ControlResponse(int exit, String out, String err) {}
