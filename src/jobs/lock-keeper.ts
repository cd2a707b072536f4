import type { Logger } from 'pino';
import type { CancelRequests } from './cancel.js';
import type { DeploymentLock, LockHolder, LockTarget } from './lock.js';

/**
 * While a job runs: keeps its deployment lock alive (so only a dead worker's lock
 * expires) and re-reads the cancel key, in case the pub/sub message was missed
 * while Redis was reconnecting.
 */
export class LockKeeper {
  private readonly timer: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly lock: DeploymentLock,
    private readonly target: LockTarget,
    private readonly holder: LockHolder,
    ttlMs: number,
    cancels: CancelRequests,
    onCancel: (by: string) => void,
    log: Logger,
  ) {
    this.timer = setInterval(
      () => {
        // A tick that waits on a reconnecting Redis must not pile up behind it.
        if (this.busy) return;
        this.busy = true;
        Promise.all([this.lock.claim(target, holder, ttlMs), cancels.requestedBy(holder.jobId)])
          .then(([other, by]) => {
            if (other) log.error({ other }, 'another job took this deployment lock while the job was running');
            if (by) onCancel(by);
          })
          .catch((error: unknown) => log.warn({ err: error }, 'could not refresh the deployment lock'))
          .finally(() => {
            this.busy = false;
          });
      },
      Math.max(50, Math.floor(ttlMs / 3)),
    );
  }

  /** Keeps the lock for `ms` more (a retry waiting out its backoff still owns the deployment). */
  async holdFor(ms: number): Promise<void> {
    clearInterval(this.timer);
    await this.lock.claim(this.target, this.holder, ms);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.lock.release(this.target, this.holder.jobId);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
