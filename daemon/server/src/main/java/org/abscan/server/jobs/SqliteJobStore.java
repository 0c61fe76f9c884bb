package org.abscan.server.jobs;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.abscan.proto.scan.v1.ScanEvent;
import org.abscan.server.auth.Tenants;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Jobs in SQLite ({@code <data-dir>/jobs.db}, WAL, synchronous FULL): one row per accepted scan with its request,
 * one row per stamped event, each written in its own transaction before watchers see it, so a kill -9 loses
 * nothing a client was told. Reports also go to {@code <data-dir>/reports/<tenant>/<scan-id>.binpb} (proto
 * binary, temp file + atomic move) for export. Live jobs are indexed in memory; the database is read back only
 * at startup.
 */
public final class SqliteJobStore implements JobStore {
  private static final Logger LOG = LogManager.getLogger(SqliteJobStore.class);

  private final Connection db;
  private final InMemoryJobStore index = new InMemoryJobStore();
  private final ReportFiles reports;
  private final Clock clock;
  private final List<RecoveredJob> recovered = new ArrayList<>();
  private long maxOrdinal;
  private final java.util.concurrent.ScheduledExecutorService purger;

  /**
   * Opens (creating if needed) the store and reads back every job; ended ones older than {@code retention}
   * are purged first.
   */
  public SqliteJobStore(Path dataDir, Clock clock, Duration retention) {
    this.clock = clock;
    this.reports = new ReportFiles(dataDir.resolve("reports"));
    try {
      Files.createDirectories(dataDir);
      db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("jobs.db"));
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, tenant TEXT NOT NULL,"
            + " ordinal INTEGER NOT NULL UNIQUE, model_sha256 TEXT NOT NULL, created_millis INTEGER NOT NULL,"
            + " updated_millis INTEGER NOT NULL, request BLOB NOT NULL, started INTEGER NOT NULL DEFAULT 0,"
            + " ended INTEGER NOT NULL DEFAULT 0)");
        s.execute("CREATE TABLE IF NOT EXISTS events (job_id TEXT NOT NULL, sequence INTEGER NOT NULL,"
            + " event BLOB NOT NULL, PRIMARY KEY (job_id, sequence))");
      }
      if (!retention.isZero()) {
        purgeEndedBefore(clock.millis() - retention.toMillis());
      }
      load();
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot open the job store in " + dataDir + ": " + e.getMessage(), e);
    }
    if (retention.isZero()) {
      purger = null;
    } else {
      purger = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "abscan-retention");
        t.setDaemon(true);
        return t;
      });
      purger.scheduleAtFixedRate(() -> {
        try {
          purgeEndedBefore(clock.millis() - retention.toMillis());
        } catch (RuntimeException e) {
          LOG.error("retention purge failed", e);
        }
      }, 1, 1, java.util.concurrent.TimeUnit.DAYS);
    }
  }

  private void load() throws SQLException {
    try (PreparedStatement jobs = db.prepareStatement(
        "SELECT id, tenant, ordinal, model_sha256, created_millis, request, started, ended FROM jobs"
            + " ORDER BY ordinal");
        PreparedStatement events = db.prepareStatement(
            "SELECT event FROM events WHERE job_id = ? ORDER BY sequence");
        ResultSet rows = jobs.executeQuery()) {
      while (rows.next()) {
        String id = rows.getString(1);
        List<ScanEvent> log = new ArrayList<>();
        events.setString(1, id);
        try (ResultSet eventRows = events.executeQuery()) {
          while (eventRows.next()) {
            log.add(ScanEvent.parseFrom(eventRows.getBytes(1)));
          }
        } catch (InvalidProtocolBufferException e) {
          LOG.error("scan {}: unreadable event in the job store; its log ends before it", id, e);
        }
        ScanJob job = ScanJob.restore(id, rows.getString(2), rows.getLong(3), rows.getString(4),
            rows.getLong(5), log, clock);
        maxOrdinal = Math.max(maxOrdinal, job.ordinal());
        index.put(job, null);
        if (!job.ended()) {
          recovered.add(new RecoveredJob(job, rows.getBytes(6), rows.getInt(7) != 0));
        }
      }
    }
    LOG.info("job store: {} scan(s), {} unfinished", maxOrdinal == 0 ? 0 : index.size(), recovered.size());
  }

  @Override
  public synchronized void put(ScanJob job, byte[] request) {
    index.put(job, request);
    update("INSERT INTO jobs (id, tenant, ordinal, model_sha256, created_millis, updated_millis, request)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)", job.id(), job.tenant(), job.ordinal(), job.modelSha256(),
        job.createdMillis(), job.createdMillis(), request);
  }

  @Override
  public synchronized void appended(ScanJob job, ScanEvent event) {
    boolean ends = event.getKindCase() == ScanEvent.KindCase.REPORT
        || event.getKindCase() == ScanEvent.KindCase.FAILED;
    if (event.getKindCase() == ScanEvent.KindCase.REPORT) {
      reports.write(job.tenant(), job.id(), event.getReport());
    }
    try {
      db.setAutoCommit(false);
      update("INSERT OR REPLACE INTO events (job_id, sequence, event) VALUES (?, ?, ?)", job.id(),
          event.getSequence(), event.toByteArray());
      update("UPDATE jobs SET updated_millis = ?, ended = ? WHERE id = ?", event.getUnixMillis(), ends ? 1 : 0,
          job.id());
      db.commit();
    } catch (SQLException | RuntimeException e) {
      rollback();
      throw new IllegalStateException("cannot record an event of scan " + job.id() + ": " + e.getMessage(), e);
    } finally {
      autoCommit();
    }
  }

  @Override
  public synchronized void started(ScanJob job) {
    update("UPDATE jobs SET started = 1 WHERE id = ?", job.id());
  }

  @Override
  public Optional<ScanJob> find(String scanId) {
    return index.find(scanId);
  }

  @Override
  public List<ScanJob> listNewestFirst(String tenant, long olderThan, int limit) {
    return index.listNewestFirst(tenant, olderThan, limit);
  }

  @Override
  public List<RecoveredJob> recovered() {
    return List.copyOf(recovered);
  }

  @Override
  public long maxOrdinal() {
    return maxOrdinal;
  }

  /**
   * Deletes ended scans last updated before {@code cutoffMillis}: rows, events and report files.
   *
   * @return how many were deleted
   */
  public synchronized int purgeEndedBefore(long cutoffMillis) {
    List<String[]> doomed = new ArrayList<>();
    try (PreparedStatement select = db.prepareStatement(
        "SELECT id, tenant FROM jobs WHERE ended = 1 AND updated_millis < ?")) {
      select.setLong(1, cutoffMillis);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          doomed.add(new String[] {rows.getString(1), rows.getString(2)});
        }
      }
      db.setAutoCommit(false);
      for (String[] job : doomed) {
        update("DELETE FROM events WHERE job_id = ?", job[0]);
        update("DELETE FROM jobs WHERE id = ?", job[0]);
      }
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw new IllegalStateException("cannot purge old scans: " + e.getMessage(), e);
    } finally {
      autoCommit();
    }
    for (String[] job : doomed) {
      index.remove(job[0]);
      reports.delete(job[1], job[0]);
    }
    if (!doomed.isEmpty()) {
      LOG.info("retention: purged {} scan(s) that ended before {}", doomed.size(),
          java.time.Instant.ofEpochMilli(cutoffMillis));
    }
    return doomed.size();
  }

  /** The report file of a succeeded scan (exists once the scan succeeded, until purged). */
  public Path reportFile(String tenant, String scanId) {
    return reports.path(tenant, scanId);
  }

  @Override
  public synchronized void close() {
    if (purger != null) {
      purger.shutdownNow();
    }
    try {
      db.close();
    } catch (SQLException e) {
      LOG.warn("closing the job store: {}", e.getMessage());
    }
  }

  private void update(String sql, Object... values) {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("job store: " + e.getMessage(), e);
    }
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException e) {
      LOG.warn("job store rollback failed: {}", e.getMessage());
    }
  }

  private void autoCommit() {
    try {
      db.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.warn("job store: {}", e.getMessage());
    }
  }

  /** Report files, one directory per tenant. */
  private record ReportFiles(Path root) {
    Path path(String tenant, String scanId) {
      String dir = tenant.equals(Tenants.DEFAULT) ? "_" : Tenants.directoryName(tenant);
      return root.resolve(dir).resolve(scanId + ".binpb");
    }

    void write(String tenant, String scanId, org.abscan.proto.scan.v1.ScanReport report) {
      Path target = path(tenant, scanId);
      try {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), scanId, ".part");
        try {
          Files.write(temp, report.toByteArray(), java.nio.file.StandardOpenOption.SYNC);
          Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the report of scan " + scanId, e);
      }
    }

    void delete(String tenant, String scanId) {
      try {
        Files.deleteIfExists(path(tenant, scanId));
      } catch (IOException e) {
        LOG.warn("cannot delete the report of scan {}: {}", scanId, e.getMessage());
      }
    }
  }
}
