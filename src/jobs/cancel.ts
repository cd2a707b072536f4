import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobKeys } from './job-data.js';

/** The reason on ctx.signal when someone cancels a job; `signal.throwIfAborted()` throws it. */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  constructor(readonly by: string) {
    super(`cancelled by ${by}`);
  }
}

// The cancel request and a worker's start are each one step, so Redis orders them:
// a cancel recorded first is seen by the start, and a start recorded first is
// reported to whoever cancels. Neither can slip between the other's check and act.
//
// Neither mark expires while the job can still start: a job may wait for a worker
// (or for its retry) for any length of time. Once the job has ended, both get the
// job's own retention (ended()); a request that races the end finds the started mark
// already given one and takes it too, so no mark outlives its job for good.
const REQUEST = `
redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return redis.call('EXISTS', KEYS[2])
`;

const START = `
local by = redis.call('GET', KEYS[1])
if by then return by end
redis.call('SET', KEYS[2], '1')
return false
`;

/**
 * Cancel requests cross processes: the web process that hears `cancel 12` is rarely
 * the worker running job 12. A key records the request (so a job that starts later,
 * or a worker that missed the message while reconnecting, still sees it) and a
 * pub/sub message makes the running worker act at once.
 */
export class CancelRequests {
  constructor(
    private readonly redis: Redis,
    private readonly keys: JobKeys,
  ) {}

  /**
   * Records the request and tells the running worker, if any. Returns whether a
   * worker had already started the job (this attempt or an earlier one): if not, it
   * never will, and nothing of it has run.
   */
  async request(jobId: string, by: string): Promise<{ started: boolean }> {
    const started = await this.redis.eval(REQUEST, 2, this.keys.cancel(jobId), this.keys.started(jobId), by);
    await this.redis.publish(this.keys.cancelChannel, JSON.stringify({ jobId, by }));
    return { started: started === 1 };
  }

  /** A worker's first step with a job: marks it started, unless someone cancelled it first (then returns who). */
  async start(jobId: string): Promise<string | undefined> {
    const by = (await this.redis.eval(START, 2, this.keys.cancel(jobId), this.keys.started(jobId))) as string | null;
    return by ?? undefined;
  }

  /**
   * The job has ended (succeeded, cancelled, failed for good): its marks are kept as
   * long as the job itself is (`keepMs`, its retention), then go. Kept rather than
   * deleted, because a worker that dies before BullMQ records the end leaves a job
   * that runs again, and that run must still see the cancel.
   */
  async ended(jobId: string, keepMs: number): Promise<void> {
    await this.redis.multi().pexpire(this.keys.cancel(jobId), keepMs).pexpire(this.keys.started(jobId), keepMs).exec();
  }

  /** Who asked to cancel `jobId`, if anyone. */
  async requestedBy(jobId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.cancel(jobId))) ?? undefined;
  }

  async isRequested(jobId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.cancel(jobId))) === 1;
  }
}

/** The worker's side: aborts the controllers of the jobs it is running when asked. */
export class CancelWatcher {
  private readonly running = new Map<string, AbortController>();
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: JobKeys,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const subscriber = this.redis.duplicate();
    subscriber.on('error', (error: unknown) => this.log.warn({ err: error }, 'cancel subscriber: Redis error'));
    subscriber.on('message', (_channel: string, raw: string) => {
      try {
        const { jobId, by } = JSON.parse(raw) as { jobId: string; by: string };
        this.abort(jobId, by);
      } catch (error) {
        this.log.warn({ err: error }, 'ignored a malformed cancel message');
      }
    });
    await subscriber.subscribe(this.keys.cancelChannel);
    this.subscriber = subscriber;
  }

  /** Tracks a running job; the returned function stops tracking it. */
  track(jobId: string, controller: AbortController): () => void {
    this.running.set(jobId, controller);
    return () => {
      if (this.running.get(jobId) === controller) this.running.delete(jobId);
    };
  }

  abort(jobId: string, by: string): void {
    const controller = this.running.get(jobId);
    if (controller && !controller.signal.aborted) {
      this.log.info({ jobId, by }, 'cancelling job');
      controller.abort(new JobCancelledError(by));
    }
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
