package dev.vouch.daemon;

import dev.vouch.filter.Filter;
import dev.vouch.filter.FilterMatch;
import dev.vouch.filter.FilterSession;
import dev.vouch.filter.ParallelFilterRun;
import dev.vouch.jail.Engine;
import dev.vouch.watch.FileFollower;
import dev.vouch.watch.JournalQuery;
import dev.vouch.watch.JournalReader;
import dev.vouch.watch.LineBatch;
import dev.vouch.watch.LineSink;
import dev.vouch.watch.LogPosition;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log readers: one follower per file, shared by every jail that watches it (paired jails
 * read the same log once), and one journal reader per journal and journalmatch, shared
 * likewise. Each line runs through each of those jails' filters on the reader's thread; only
 * matches cross to the engine, followed by the position they reach. Globs are re-scanned every
 * few seconds for new files. Owns the followers, the journal readers and the scan thread.
 */
final class LogReaders implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("vouch.watch");
  private static final Duration RESCAN = Duration.ofSeconds(5);

  /**
   * A jail as a reader sees it: its name, its filter and its log paths (patterns), or the
   * journal it reads ({@code backend = systemd}).
   */
  record Watcher(String jail, Filter filter, ZoneId zone, Duration findtime, List<String> patterns,
      boolean tailOnly, Optional<JournalQuery> journal) {}

  private final Engine engine;
  private final List<Watcher> watchers;
  private final Map<String, LogPosition> positions;
  private final boolean replay;
  private final Clock clock;
  private final int maxLine;
  private final Map<Path, FileFollower> followers = new ConcurrentHashMap<>();
  private final Map<String, JournalReader> journals = new ConcurrentHashMap<>();
  private final AtomicLong lines = new AtomicLong();
  /** Matches the long runs of lines (a replay, a backlog) on every core. */
  private final ParallelFilterRun matcher =
      new ParallelFilterRun(Runtime.getRuntime().availableProcessors());
  private Thread scanner;
  /** A replay of more than one log: their matches go to the engine in the order of time. */
  private ReplayMerge merge;
  private volatile boolean closed;

  LogReaders(Engine engine, List<Watcher> watchers, Map<String, LogPosition> positions,
      boolean replay, Clock clock, int maxLine) {
    this.engine = engine;
    this.watchers = List.copyOf(watchers);
    this.positions = positions;
    this.replay = replay;
    this.clock = clock;
    this.maxLine = maxLine;
  }

  /** Starts a follower for every file the patterns match now, and the re-scan for globs. */
  void start() {
    Map<String, List<Watcher>> queries = new LinkedHashMap<>();
    for (Watcher watcher : watchers) {
      watcher.journal().ifPresent(query ->
          queries.computeIfAbsent(query.key(), key -> new ArrayList<>()).add(watcher));
    }
    Map<Path, List<Watcher>> files = expand();
    if (replay && queries.size() + files.size() > 1) {
      merge = new ReplayMerge(engine);
    }
    queries.values().forEach(this::readJournal);
    if (files.isEmpty() && watchers.stream().anyMatch(watcher -> watcher.journal().isEmpty())) {
      LOG.log(Level.WARNING, "no log file matches any logpath yet; watching for them");
    }
    files.forEach((path, jails) -> follow(path, jails, false));
    if (merge != null) {
      merge.start();
    }
    if (!replay) {
      scanner = new Thread(this::rescan, "watch-scan");
      scanner.setDaemon(true);
      scanner.start();
    }
  }

  /** Files matched by the patterns, each with the jails that watch it. */
  private Map<Path, List<Watcher>> expand() {
    Map<Path, List<Watcher>> files = new LinkedHashMap<>();
    for (Watcher watcher : watchers) {
      for (String pattern : watcher.patterns()) {
        for (Path path : matches(pattern)) {
          files.computeIfAbsent(path, key -> new ArrayList<>()).add(watcher);
        }
      }
    }
    return files;
  }

  /** A path, or the files a glob pattern matches now (the pattern's directory is listed). */
  static List<Path> matches(String pattern) {
    if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[")) {
      Path path = Path.of(pattern).toAbsolutePath().normalize();
      return Files.isRegularFile(path) ? List.of(path) : List.of();
    }
    Path absolute = Path.of(pattern).toAbsolutePath().normalize();
    Path directory = absolute.getParent();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
    List<Path> found = new ArrayList<>();
    if (directory == null || !Files.isDirectory(directory)) {
      return found;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (matcher.matches(entry) && Files.isRegularFile(entry)) {
          found.add(entry);
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list " + directory + ": " + e.getMessage());
    }
    found.sort(null);
    return found;
  }

  private void follow(Path path, List<Watcher> jails, boolean appeared) {
    // fail2ban's "logpath = FILE tail" starts at the end; the default (head) reads the last
    // findtime of a log that has no saved position.
    FileFollower.Start start = replay || appeared ? FileFollower.Start.BEGINNING
        : jails.stream().allMatch(Watcher::tailOnly) ? FileFollower.Start.END
            : FileFollower.Start.RECENT;
    Duration findtime = jails.stream().map(Watcher::findtime).max(Duration::compareTo)
        .orElse(Duration.ofMinutes(10));
    Watcher first = jails.get(0);
    FileFollower follower = new FileFollower(path,
        replay ? Optional.empty() : Optional.ofNullable(positions.get(path.toString())), start,
        findtime, line -> first.filter().timeOf(line, first.zone(), clock.millis() / 1000.0),
        clock, newSink(jails), maxLine, !replay);
    followers.put(path, follower);
    follower.start();
    LOG.log(Level.INFO, "watching {0} for {1}", path,
        String.join(", ", jails.stream().map(Watcher::jail).toList()));
  }

  /** Starts the journal reader of jails that read the same entries of the same journal. */
  private void readJournal(List<Watcher> jails) {
    JournalQuery query = jails.get(0).journal().orElseThrow();
    String names = String.join(",", jails.stream().map(Watcher::jail).toList());
    if (query.groups().isEmpty()) {
      LOG.log(Level.WARNING, "[{0}] no journalmatch: the filter runs on every journal entry,"
          + " which is slow; set journalmatch (e.g. _SYSTEMD_UNIT=sshd.service) in the filter"
          + " or the jail", names);
    }
    Duration findtime = jails.stream().map(Watcher::findtime).max(Duration::compareTo)
        .orElse(Duration.ofMinutes(10));
    JournalReader reader = new JournalReader(names, query,
        replay ? Optional.empty() : Optional.ofNullable(positions.get(query.key())), findtime,
        clock, newSink(jails), maxLine, !replay);
    journals.put(query.key(), reader);
    reader.start();
    LOG.log(Level.INFO, "reading the journal for {0}: {1}", names,
        query.groups().isEmpty() ? "every entry" : query.matchText());
  }

  private void rescan() {
    while (!closed) {
      try {
        Thread.sleep(RESCAN.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      expand().forEach((path, jails) -> {
        if (!followers.containsKey(path) && !closed) {
          follow(path, jails, true);
        }
      });
    }
  }

  /** Waits until every reader has read its file to the end (replay). */
  void awaitEnd() throws InterruptedException {
    for (FileFollower follower : followers.values()) {
      follower.join();
    }
    for (JournalReader journal : journals.values()) {
      journal.join();
    }
    if (merge != null) {
      merge.join();
    }
  }

  private Sink newSink(List<Watcher> jails) {
    return new Sink(jails, merge == null ? null : merge.newSource());
  }

  long lines() {
    return lines.get();
  }

  /** Over-long lines skipped and lines that were not UTF-8, over every file read. */
  long[] skippedAndUndecodable() {
    long[] counts = new long[2];
    for (FileFollower follower : followers.values()) {
      counts[0] += follower.tooLong();
      counts[1] += follower.undecodable();
    }
    return counts;
  }

  Set<Path> files() {
    return new LinkedHashSet<>(followers.keySet());
  }

  /** The log files being read. */
  int fileCount() {
    return followers.size();
  }

  /** The journal queries being read (one per distinct journalmatch). */
  int journalCount() {
    return journals.size();
  }

  /** Batches of one log being matched at once (see {@code Sink.inFlight}). */
  private static final int IN_FLIGHT = 2;

  /** Runs the filters of the jails of one file and hands their matches to the engine. */
  private final class Sink implements LineSink {
    private final List<String> jails = new ArrayList<>();
    private final List<FilterSession> sessions = new ArrayList<>();
    /** Where matches go in a replay of several logs; null: straight to the engine. */
    private final ReplayMerge.Source merged;
    /** The matches of the batch being finished, for the engine (a merged replay hands each on). */
    private final List<Engine.Found> matches = new ArrayList<>();
    /**
     * The batches the workers are matching while the next is read, oldest first, each with its
     * position: at most {@link #IN_FLIGHT}, so that the workers have the next batch to start on
     * while the reader finishes the oldest in order.
     */
    private final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();

    private record InFlight(ParallelFilterRun.Batch batch, int lines, LogPosition position) {}

    Sink(List<Watcher> watchers, ReplayMerge.Source merged) {
      this.merged = merged;
      // Paired jails on one log find each line's date and scan its literals once between them.
      List<Filter> filters = Filter.sharingScans(watchers.stream().map(Watcher::filter).toList());
      for (int i = 0; i < watchers.size(); i++) {
        jails.add(watchers.get(i).jail());
        sessions.add(filters.get(i).newSession(clock, watchers.get(i).zone(), new Resolver()));
      }
    }

    /** Lines of a file: the workers decode and match them while the reader reads on. */
    @Override
    public void fileLines(String source, LineBatch read, LogPosition position) {
      inFlight.add(new InFlight(matcher.start(sessions, read), read.size(), position));
      while (inFlight.size() > IN_FLIGHT) {
        finishOldest();
      }
    }

    /** Journal entries, whose time is known (not in their text), one by one, in order. */
    @Override
    public void lines(String source, List<Line> read, LogPosition position) {
      finishInFlight();
      for (Line line : read) {
        FilterSession.LineResult[] results = new FilterSession.LineResult[sessions.size()];
        for (int j = 0; j < sessions.size(); j++) {
          FilterSession session = sessions.get(j);
          results[j] = Double.isNaN(line.time()) ? session.process(line.text())
              : session.process(line.text(), line.time());
        }
        found(line.text(), results);
      }
      handOver(read.size(), position);
    }

    /** The reader has read all there is for now: what it handed over is finished at once. */
    @Override
    public void caughtUp() {
      finishInFlight();
    }

    @Override
    public void end() {
      finishInFlight();
      if (merged != null) {
        merged.end();
      }
    }

    private void finishInFlight() {
      while (!inFlight.isEmpty()) {
        finishOldest();
      }
    }

    private void finishOldest() {
      InFlight done = inFlight.remove();
      try {
        done.batch().finish(this::found);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      handOver(done.lines(), done.position());
    }

    /**
     * The matches of a finished batch to the engine at once: with the position after it (live),
     * or as a replay's (whose positions are not kept); a replay of several logs has handed each
     * to the merge already.
     */
    private void handOver(int count, LogPosition position) {
      lines.addAndGet(count);
      if (!replay) {
        engine.found(List.copyOf(matches), position);
      } else if (!matches.isEmpty()) {
        engine.replayed(List.copyOf(matches));
      }
      matches.clear();
    }

    /** Hands each jail's matches of a line to the engine. */
    private void found(String line, FilterSession.LineResult[] results) {
      for (int j = 0; j < results.length; j++) {
        for (FilterMatch match : results[j].matches()) {
          if (!match.pending() && !match.noFailure()) {
            if (merged != null) {
              merged.found(jails.get(j), match, line);
            } else {
              matches.add(new Engine.Found(jails.get(j), match, line));
            }
          }
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (scanner != null) {
      scanner.interrupt();
    }
    followers.values().forEach(FileFollower::close);
    journals.values().forEach(JournalReader::close);
    matcher.close();
  }
}
