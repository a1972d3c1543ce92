package dev.vouch.watch;

/**
 * Where reading of a log file stopped: the file's identity (device and inode), the offset after
 * the last line handed on, and a hash of its first line, so that a restart resumes there only if
 * it is still the same file.
 */
public record LogPosition(String path, String fileKey, long offset, String firstLineHash) {}
