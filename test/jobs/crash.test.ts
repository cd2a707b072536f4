import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueuedJobData } from '../../src/jobs/job-data.js';
import type { JobFailure } from '../../src/jobs/job-hooks.js';
import { REDIS_URL } from '../support/redis.js';
import { bump } from '../fixtures/counter-action.js';
import { JobsHarness, waitFor } from './harness.js';

let h: JobsHarness | undefined;
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child?.exitCode === null && child.signalCode === null) killGroup(child);
  child = undefined;
  await h?.close();
  h = undefined;
});

/** npx → tsx → node: the whole process group goes, as when a pod is killed. */
function killGroup(process_: ChildProcess): void {
  try {
    process.kill(-process_.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function spawnWorker(h: JobsHarness, maxStalledCount = 1): Promise<ChildProcess> {
  const started = spawn('npx', ['tsx', 'test/fixtures/job-worker-process.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      JOBS_PREFIX: h.prefix,
      COUNTER_PREFIX: h.ports.prefix,
      REDIS_URL,
      MAX_STALLED_COUNT: String(maxStalledCount),
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  started.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(() => output.includes('ready') || started.exitCode !== null, 20_000);
  if (!output.includes('ready')) throw new Error(`the worker process exited (${started.exitCode}) before it was ready`);
  return started;
}

describe('a worker killed mid-job', () => {
  it('leaves the job to a new worker, which finishes it without changing the world twice', async () => {
    h = new JobsHarness('crash');
    const data = await h.planned({ steps: 25, stepMs: 100, applyAt: 3 });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    child = await spawnWorker(h);
    await waitFor(async () => (await h!.counter('effects')) === 1, 10_000);

    const exited = new Promise((resolve) => child!.once('exit', resolve));
    killGroup(child);
    await exited;
    expect((await h.queue.get(jobNumber))?.state).toBe('running');

    await h.startWorker({ lockDurationMs: 1000, stalledIntervalMs: 1000 });
    const summary = await h.finished(jobNumber, 20_000);

    expect(summary.state).toBe('succeeded');
    expect(await h.counter('executions')).toBe(2);
    expect(await h.counter('effects')).toBe(1);
    expect(await h.counter('value')).toBe(1);
    const ref = data.messageRef!.id;
    expect(h.chat.current(ref)).toMatchObject({ severity: 'success', text: 'svc is now 1' });
    expect(h.chat.replies(ref).map((r) => r.message.title)).toEqual([
      `Job ${jobNumber} resumed after a worker restart`,
      'svc is now 1',
    ]);
    expect(h.chat.posts()).toHaveLength(1);
  });

  it('fails a job that stalled more often than allowed with an error ref in its thread', async () => {
    h = new JobsHarness('stall-limit');
    const data = await h.planned({ steps: 25, stepMs: 100, applyAt: 3 });
    const { jobNumber } = await h.queue.submit(data, 'k1');
    child = await spawnWorker(h, 0);
    await waitFor(async () => (await h!.counter('effects')) === 1, 10_000);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    killGroup(child);
    await exited;

    const failed: ({ jobNumber: number } & JobFailure)[] = [];
    const onFailed = async (data: QueuedJobData, failure: JobFailure) => {
      failed.push({ jobNumber: data.jobNumber, ...failure });
    };
    await h.startWorker({ lockDurationMs: 1000, stalledIntervalMs: 1000, maxStalledCount: 0, onFailed });
    await h.startWorker({ lockDurationMs: 1000, stalledIntervalMs: 1000, maxStalledCount: 0, onFailed });
    expect((await h.finished(jobNumber, 20_000)).state).toBe('failed');

    const ref = data.messageRef!.id;
    await waitFor(() => h!.chat.replies(ref).length > 0);
    expect(h.chat.replies(ref).map((r) => r.message.text)).toEqual([expect.stringMatching(/^something went wrong \(ref [0-9a-f]{8}\)$/)]);
    expect(h.chat.current(ref)!.severity).toBe('critical');
    expect(h.audit.entries.at(-1)).toMatchObject({ type: 'job.failed', jobId: expect.any(String) });
    await expect(h.queue.submit(await h.planned(), 'k2')).resolves.toMatchObject({ created: true });
    // The worker hook hears it once, from whichever worker claimed the report, with no action result.
    expect(failed).toEqual([{ jobNumber, jobId: expect.any(String), reason: expect.stringMatching(/^its workers kept stopping while running it \(job stalled more than allowable limit; ref [0-9a-f]{8}\)$/), verb: bump }]);
  });
});
