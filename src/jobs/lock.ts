import type { Redis } from 'ioredis';
import { UserError } from '../core/errors.js';
import type { JobKeys } from './job-data.js';

/** Who holds a deployment: enough to tell the next person what is running. */
export interface LockHolder {
  jobNumber: number;
  jobId: string;
  action: string;
  actor: string;
}

export interface LockTarget {
  service: string;
  env: string;
}

// Taken when absent or already ours: a job resumed after a crash keeps its own lock.
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).jobId ~= ARGV[1] then return current end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return false
`;

const RELEASE = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).jobId == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export function busyError(holder: LockHolder): UserError {
  return new UserError(`busy: job ${holder.jobNumber} (${holder.action} by ${holder.actor}) is running`, 'busy');
}

/**
 * One lock per service+env, so two changes of the same deployment never overlap. It
 * lives only as long as someone keeps refreshing it: a crashed worker's lock expires.
 */
export class DeploymentLock {
  constructor(
    private readonly redis: Redis,
    private readonly keys: JobKeys,
  ) {}

  /** Claims or refreshes the lock for `holder`; returns the other holder when it is taken. */
  async claim(target: LockTarget, holder: LockHolder, ttlMs: number): Promise<LockHolder | undefined> {
    const key = this.keys.lock(target.service, target.env);
    const other = (await this.redis.eval(CLAIM, 1, key, holder.jobId, JSON.stringify(holder), ttlMs)) as string | null;
    return other ? (JSON.parse(other) as LockHolder) : undefined;
  }

  async release(target: LockTarget, jobId: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.keys.lock(target.service, target.env), jobId);
  }

  async holder(target: LockTarget): Promise<LockHolder | undefined> {
    const raw = await this.redis.get(this.keys.lock(target.service, target.env));
    return raw ? (JSON.parse(raw) as LockHolder) : undefined;
  }
}
