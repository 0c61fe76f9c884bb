package org.abscan.server.jobs;

/**
 * An accepted scan found unfinished in the journal at startup.
 *
 * @param job the job, rebuilt with its event log
 * @param request the ScanRequest (proto binary) it was accepted with
 * @param wasRunning whether a worker had started it (else it was waiting)
 */
public record RecoveredJob(ScanJob job, byte[] request, boolean wasRunning) {}
