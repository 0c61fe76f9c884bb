package org.abscan.server.jobs;

import java.util.List;
import java.util.Optional;
import org.abscan.proto.scan.v1.ScanEvent;

/**
 * Where scan jobs are kept: an index of live {@link ScanJob}s, and (for a durable store) a journal of what
 * happened to them, written ahead of telling watchers, so a restarted daemon finds every accepted scan.
 */
public interface JobStore extends AutoCloseable {
  /** Records a newly accepted job with the request that will re-create its work after a restart. */
  void put(ScanJob job, byte[] request);

  /** Records one stamped event of {@code job} (called under the job's lock, in sequence order). */
  default void appended(ScanJob job, ScanEvent event) {}

  /** Records that a worker started the job (so a restart knows it was running, not waiting). */
  default void started(ScanJob job) {}

  Optional<ScanJob> find(String scanId);

  /**
   * One tenant's jobs, newest first.
   *
   * @param olderThan only jobs with an ordinal below this (paging); {@code Long.MAX_VALUE} for the first page
   */
  List<ScanJob> listNewestFirst(String tenant, long olderThan, int limit);

  /** Jobs found in the journal at startup that had not ended, oldest first (each is already indexed). */
  default List<RecoveredJob> recovered() {
    return List.of();
  }

  /** The largest ordinal handed out so far (new jobs continue after it). */
  default long maxOrdinal() {
    return 0;
  }

  @Override
  default void close() {}
}
