package org.abscan.server.jobs;

import java.util.List;
import java.util.Optional;

/**
 * Where scan jobs are kept. In memory for now; a durable store (events and reports on disk, replayed at
 * startup) implements the same interface.
 */
public interface JobStore {
  void put(ScanJob job);

  Optional<ScanJob> find(String scanId);

  /**
   * One tenant's jobs, newest first.
   *
   * @param olderThan only jobs with an ordinal below this (paging); {@code Long.MAX_VALUE} for the first page
   */
  List<ScanJob> listNewestFirst(String tenant, long olderThan, int limit);
}
