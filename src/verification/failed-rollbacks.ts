import type { Logger } from 'pino';
import type { FailedHook, JobFailure } from '../jobs/job-hooks.js';
import type { QueuedJobData } from '../jobs/job-data.js';
import type { EvidenceStore } from './evidence-store.js';
import { jobEvidence } from './job-evidence.js';

export interface FailedRollbacksDeps {
  evidence: EvidenceStore;
  log: Logger;
}

/**
 * A rollback whose rollout did not complete, whose action threw, or whose workers kept
 * dying is a failed job: it never reaches onSucceeded, yet post-incident review needs
 * its evidence most. The actions worker calls onFailed once such a job has failed for
 * good: its processor, before BullMQ records the failure (so the record is there by
 * the time the job reads failed), or the stall reporter for a job whose workers died.
 * A rollout that did not complete hands over the action's result, which read the
 * deployment back: the record names the revision it was left at. One record per job
 * however many processes hear of it (a job that ran again after its worker died
 * before BullMQ heard the end, or an older bot version during a rolling update).
 */
export class FailedRollbacks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: FailedRollbacksDeps) {}

  /** Pass as startWorker's onFailed. */
  readonly onFailed: FailedHook = (data, failure) => this.track(this.record(data, failure));

  /** Resolves once every failed rollback heard of so far has its evidence (the console waits for this before exiting). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(work: Promise<void>): Promise<void> {
    const logged = work.catch((error: unknown) => this.deps.log.error({ err: error }, 'could not record the evidence of a failed rollback'));
    this.pending.add(logged);
    void logged.finally(() => this.pending.delete(logged));
    return logged;
  }

  private async record(data: QueuedJobData, failure: JobFailure): Promise<void> {
    // The verb says whether it keeps evidence; a failed job's facts (if it returned) name where it was left.
    const evidence = jobEvidence(failure.verb, data, failure.result, failure.reason);
    if (!evidence) return;
    const who = { actor: data.actor, requestId: data.requestId, ...(data.conversation ? { conversation: data.conversation } : {}) };
    const record = await this.deps.evidence.recordOnce(`job:${failure.jobId}`, evidence, who);
    if (record) this.deps.log.info({ evidence: record.id, jobId: failure.jobId, service: record.service }, 'failed rollback recorded');
  }
}
