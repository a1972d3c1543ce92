package dev.vouch.watch;

/**
 * Where reading of a log file stopped: the file's identity (device and inode), the offset after
 * the last line handed on, and a hash of its first line, so that a restart resumes there only if
 * it is still the same file.
 *
 * <p>A journal's position has its query's key as {@code path} ({@code journal:MATCHES}), the
 * cursor of the last entry handed on as {@code fileKey}, that entry's time in microseconds as
 * {@code offset}, and no hash.
 */
public record LogPosition(String path, String fileKey, long offset, String firstLineHash) {}
