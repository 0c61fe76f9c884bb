package org.abscan.server.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Jobs for the daemon's lifetime (the embedded daemon's, and tests'). Nothing is evicted: a scan's report is
 * small next to its model.
 */
public final class InMemoryJobStore implements JobStore {
  private final Map<String, ScanJob> byId = new ConcurrentHashMap<>();
  private final ConcurrentNavigableMap<Long, ScanJob> byOrdinal = new ConcurrentSkipListMap<>();

  @Override
  public void put(ScanJob job, byte[] request) {
    byId.put(job.id(), job);
    byOrdinal.put(job.ordinal(), job);
  }

  @Override
  public Optional<ScanJob> find(String scanId) {
    return Optional.ofNullable(byId.get(scanId));
  }

  @Override
  public List<ScanJob> listNewestFirst(String tenant, long olderThan, int limit) {
    List<ScanJob> page = new ArrayList<>(limit);
    for (ScanJob job : byOrdinal.headMap(olderThan, false).descendingMap().values()) {
      if (page.size() == limit) {
        break;
      }
      if (job.tenant().equals(tenant)) {
        page.add(job);
      }
    }
    return page;
  }

  /** Forgets a job (retention). */
  void remove(String scanId) {
    ScanJob job = byId.remove(scanId);
    if (job != null) {
      byOrdinal.remove(job.ordinal());
    }
  }

  int size() {
    return byId.size();
  }
}
